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
    private static final int INPUT_BYTES = 64 * 1024;

    private final long maxBytes;
    private final Counting counting;
    /** {@code null} without gzip. */
    private final GZIPOutputStream gzip;
    /** With gzip, events collect here and go to deflate a buffer at a time, not in one native call each. */
    private final byte[] pending;
    private int pendingLen;
    private long unflushed;
    private int events;

    public BatchWriter(OutputStream target, boolean gzip, int level, long maxBytes) throws IOException {
        this(target, gzip, level, maxBytes, null);
    }

    /** @param gzipInput with gzip, the buffer the events collect in before deflate ({@code null}: a new one of 64 KiB) */
    public BatchWriter(OutputStream target, boolean gzip, int level, long maxBytes, byte[] gzipInput)
            throws IOException {
        this.maxBytes = maxBytes;
        this.counting = new Counting(target);
        this.gzip = gzip ? new LeveledGzip(counting, level) : null;
        this.pending = !gzip ? null : gzipInput != null ? gzipInput : new byte[INPUT_BYTES];
    }

    /** Whether an encoded event of {@code len} bytes still fits; an empty batch always takes one event. */
    public boolean fits(int len) throws IOException {
        if (events == 0) {
            return true;
        }
        if (gzip == null) {
            return counting.count + len <= maxBytes;
        }
        if (counting.count + unflushed + len + OVERHEAD <= maxBytes) {
            return true;
        }
        if (unflushed > 0) {
            drain();
            gzip.flush();
            unflushed = 0;
        }
        return counting.count + len + OVERHEAD <= maxBytes;
    }

    public void write(byte[] encoded) throws IOException {
        write(encoded, false);
    }

    /** Appends one event: its encoding and, with {@code newline}, a {@code \n}. */
    public void write(byte[] body, boolean newline) throws IOException {
        int len = body.length + (newline ? 1 : 0);
        if (gzip == null) {
            counting.write(body);
            if (newline) {
                counting.write('\n');
            }
        } else {
            if (len > pending.length - pendingLen) {
                drain();
            }
            if (len > pending.length) {
                gzip.write(body);
                if (newline) {
                    gzip.write(NEWLINE);
                }
            } else {
                System.arraycopy(body, 0, pending, pendingLen, body.length);
                pendingLen += body.length;
                if (newline) {
                    pending[pendingLen++] = '\n';
                }
            }
        }
        unflushed += len;
        events++;
    }

    private static final byte[] NEWLINE = {'\n'};

    private void drain() throws IOException {
        if (pendingLen > 0) {
            gzip.write(pending, 0, pendingLen);
            pendingLen = 0;
        }
    }

    public int events() {
        return events;
    }

    /** Bytes written to the target so far (compressed bytes for gzip). */
    public long bytesWritten() {
        return counting.count;
    }

    /** With gzip, the buffer the events collected in: the next batch may take it once this one is finished. */
    public byte[] gzipInput() {
        return pending;
    }

    /**
     * Ends the gzip stream (if any) and flushes; the target stays open. Closing the gzip stream frees zlib's native
     * state now rather than when the stream is garbage collected.
     */
    public long finish() throws IOException {
        if (gzip != null) {
            drain();
            gzip.close();
        }
        counting.flush();
        return counting.count;
    }

    private static final class LeveledGzip extends GZIPOutputStream {
        LeveledGzip(OutputStream out, int level) throws IOException {
            // the output buffer: deflate's output of one 64 KiB input comes out in a few writes to the target
            super(out, 8 * 1024, true);
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
