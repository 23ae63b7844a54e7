package io.s3logroutes.ship;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

import io.s3logroutes.event.EventCodec;

/**
 * Writes the events of one batch (one future object), encoded by {@link EventCodec#line}, to an output stream,
 * optionally as one gzip stream. {@link #fits} tells whether one more event keeps the object within {@code maxBytes} as uploaded
 * (after gzip): the gzip stream is sync-flushed whenever the worst case (the unflushed input not compressing at
 * all) could pass the limit, so the compressed size is known exactly when it matters, and objects land just under
 * the size asked for. No I/O besides the given stream.
 */
public final class BatchWriter {

    /** Sync-flush block and gzip trailer overhead. */
    private static final int OVERHEAD = 5 + 8;

    private final long maxBytes;
    private final Counting counting;
    private final OutputStream out;
    private final boolean gzip;
    private long unflushed;
    private int events;

    public BatchWriter(OutputStream target, boolean gzip, int level, long maxBytes)
            throws IOException {
        this.maxBytes = maxBytes;
        this.gzip = gzip;
        this.counting = new Counting(target);
        this.out = gzip ? new LeveledGzip(counting, level) : counting;
    }

    /** Whether an encoded event of {@code len} bytes still fits; an empty batch always takes one event. */
    public boolean fits(int len) throws IOException {
        if (events == 0) {
            return true;
        }
        if (!gzip) {
            return counting.count + len <= maxBytes;
        }
        if (counting.count + unflushed + len + OVERHEAD <= maxBytes) {
            return true;
        }
        if (unflushed > 0) {
            out.flush();
            unflushed = 0;
        }
        return counting.count + len + OVERHEAD <= maxBytes;
    }

    public void write(byte[] encoded) throws IOException {
        out.write(encoded);
        unflushed += encoded.length;
        events++;
    }

    public int events() {
        return events;
    }

    /** Bytes written to the target so far (compressed bytes for gzip). */
    public long bytesWritten() {
        return counting.count;
    }

    /** Ends the gzip stream (if any) and flushes; the target stays open. */
    public long finish() throws IOException {
        if (out instanceof GZIPOutputStream g) {
            g.finish();
        }
        out.flush();
        return counting.count;
    }

    private static final class LeveledGzip extends GZIPOutputStream {
        LeveledGzip(OutputStream out, int level) throws IOException {
            super(out, 64 * 1024, true);
            def.setLevel(level);
        }
    }

    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() {
            // the target's owner closes it
        }
    }

}
