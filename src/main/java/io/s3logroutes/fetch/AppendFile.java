package io.s3logroutes.fetch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An output file open for appending across several objects, with a write buffer that can be dropped: {@link #mark()}
 * before an object, {@link #rollback()} to undo what was written since (buffered or already in the file),
 * {@link #sync()} to flush and fsync. Nothing here moves a checkpoint; the caller decides when a synced length is
 * committed.
 */
public final class AppendFile implements AutoCloseable {

    private final Path path;
    private final FileChannel ch;
    private final byte[] buf = new byte[65536];
    private int used;
    private long written;
    private long mark;
    private final OutputStream stream = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            if (used == buf.length) {
                drain();
            }
            buf[used++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > buf.length - used) {
                drain();
                if (len >= buf.length) {
                    writeFully(ByteBuffer.wrap(b, off, len));
                    return;
                }
            }
            System.arraycopy(b, off, buf, used, len);
            used += len;
        }
    };

    public AppendFile(Path path) throws IOException {
        this.path = path;
        this.ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        this.written = ch.size();
        ch.position(written);
        this.mark = written;
    }

    public Path path() {
        return path;
    }

    /** The buffered writer; {@code close()} on it does nothing. */
    public OutputStream stream() {
        return stream;
    }

    /** The file's length once the buffer is flushed. */
    public long length() {
        return written + used;
    }

    /** Remembers the current length for {@link #rollback()}. */
    public void mark() {
        mark = length();
    }

    /** Drops the buffer and cuts the file back to the length at the last {@link #mark()}. */
    public void rollback() throws IOException {
        if (mark >= written) {
            // the bytes before the mark are still (partly) in the buffer: keep those
            used = (int) (mark - written);
        } else {
            used = 0;
            ch.truncate(mark);
            ch.position(mark);
            written = mark;
        }
    }

    /** Writes the buffer to the file (no fsync). */
    public void flush() throws IOException {
        drain();
    }

    /** Writes the buffer and fsyncs the file: its {@link #length()} is durable when this returns. */
    public void sync() throws IOException {
        drain();
        ch.force(true);
    }

    private void drain() throws IOException {
        if (used > 0) {
            writeFully(ByteBuffer.wrap(buf, 0, used));
            used = 0;
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            written += ch.write(b);
        }
    }

    /** Closes the file without writing the buffer: what was not flushed is dropped. */
    @Override
    public void close() throws IOException {
        used = 0;
        ch.close();
    }
}
