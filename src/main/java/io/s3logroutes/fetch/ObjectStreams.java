package io.s3logroutes.fetch;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** The streams under {@link ObjectReader}: source failures told apart from bad content, and the size cap. */
final class ObjectStreams {

    private ObjectStreams() {
    }

    /** Marks failures of the underlying source, so that they are not taken for a corrupt object. */
    static final class SourceGuard extends FilterInputStream {
        SourceGuard(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                throw new ObjectReader.SourceException(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw new ObjectReader.SourceException(e);
            }
        }
    }

    /** Fails once more than {@code max} bytes have been read. */
    static final class Capped extends FilterInputStream {
        private final long max;
        long count;

        Capped(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
                if (count > max) {
                    throw new ObjectReader.BadObjectException("more than " + io.s3logroutes.config.Props.formatSize(max)
                            + " (s3logs.fetch.max-object-bytes) after decompression", null);
                }
            }
            return n;
        }
    }
}
