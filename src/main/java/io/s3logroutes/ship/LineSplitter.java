package io.s3logroutes.ship;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Cuts a byte stream into lines: {@code \n} or {@code \r\n} ends a line (the end is not part of it); a line longer
 * than {@code maxLineBytes} comes out in parts of at most that size, each flagged. Streams: memory is bounded by
 * the buffer and one line. No charset decoding: bytes come out exactly as read.
 */
public final class LineSplitter {

    /** Receives each line or part. {@code part} is 1-based; {@code continued} is true when more parts follow. */
    public interface Sink {
        void line(byte[] line, int part, boolean continued, long endOffset) throws IOException;
    }

    private final int maxLineBytes;
    private byte[] buf = new byte[256];
    private int len;
    private int part = 1;
    private long offset;

    public LineSplitter(int maxLineBytes, long startOffset) {
        this.maxLineBytes = maxLineBytes;
        this.offset = startOffset;
    }

    /** Feeds bytes; complete lines go to the sink. {@code endOffset} is the stream offset after the line end. */
    public void feed(byte[] data, int from, int to, Sink sink) throws IOException {
        int i = from;
        while (i < to) {
            if (len == 0 && part == 1) {
                // a whole line in the chunk, no longer than the limit: copied out in one go
                int j = indexOfLineEnd(data, i, to);
                if (j >= 0 && j - i <= maxLineBytes) {
                    int n = j > i && data[j - 1] == '\r' ? j - i - 1 : j - i;
                    offset += j - i + 1;
                    sink.line(Arrays.copyOfRange(data, i, i + n), 1, false, offset);
                    i = j + 1;
                    continue;
                }
            }
            byte b = data[i++];
            offset++;
            if (b == '\n') {
                int n = len > 0 && buf[len - 1] == '\r' ? len - 1 : len;
                emit(n, false, sink);
                continue;
            }
            if (len == maxLineBytes) {
                // keep a trailing CR with the next part so that CRLF is still recognised
                boolean cr = buf[len - 1] == '\r';
                int n = cr ? len - 1 : len;
                byte[] line = Arrays.copyOf(buf, n);
                int p = part++;
                len = 0;
                sink.line(line, p, true, offset - 1 - (cr ? 1 : 0));
                if (cr) {
                    buf[len++] = '\r';
                }
            }
            if (len == buf.length) {
                buf = Arrays.copyOf(buf, Math.min(maxLineBytes, buf.length * 2));
            }
            buf[len++] = b;
        }
    }

    private static int indexOfLineEnd(byte[] data, int from, int to) {
        for (int j = from; j < to; j++) {
            if (data[j] == '\n') {
                return j;
            }
        }
        return -1;
    }

    private void emit(int n, boolean continued, Sink sink) throws IOException {
        byte[] line = Arrays.copyOf(buf, n);
        int p = part;
        len = 0;
        part = 1;
        sink.line(line, p, continued, offset);
    }

    /** Bytes of an unfinished line held back (not yet emitted). */
    public int pending() {
        return len;
    }

    /** Emits an unfinished last line (a file that does not end with a line end). */
    public void finish(Sink sink) throws IOException {
        if (len > 0 || part > 1) {
            int n = len > 0 && buf[len - 1] == '\r' ? len - 1 : len;
            emit(n, false, sink);
        }
    }

    /** Reads a whole stream. */
    public static void split(InputStream in, int maxLineBytes, Sink sink) throws IOException {
        LineSplitter s = new LineSplitter(maxLineBytes, 0);
        byte[] chunk = new byte[64 * 1024];
        int r;
        while ((r = in.read(chunk)) > 0) {
            s.feed(chunk, 0, r, sink);
        }
        s.finish(sink);
    }
}
