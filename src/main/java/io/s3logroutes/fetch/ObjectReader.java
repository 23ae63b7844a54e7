package io.s3logroutes.fetch;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.s3logroutes.event.EventCodec;
import io.s3logroutes.event.LogEvent;

/**
 * Decodes one object as a stream, never whole in memory: gunzips when the bytes start with the gzip magic (whatever
 * the key or Content-Encoding says; several gzip members in a row are read as one stream, {@link GzipMembers}), stops with
 * {@link BadObjectException} once more than the cap has been decompressed, splits lines on {@code \n} keeping their
 * exact bytes, and decodes them as NDJSON events ({@link EventCodec#fromJson}) or as raw lines.
 */
public final class ObjectReader {

    /** How lines are decoded. {@code AUTO} decides per object from its first line. */
    public enum InputFormat {
        AUTO("auto"), RAW("raw"), JSON("json");

        private final String text;

        InputFormat(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Receives the decoded events of an object. */
    public interface Sink {
        void event(LogEvent e) throws IOException;

        /** A line of a JSON object that is not a JSON event; written raw and flagged by the sink. */
        void badLine(long lineNumber, byte[] line, String reason) throws IOException;
    }

    /** What one object held. */
    public record Result(long events, long badLines, String firstBadLine, long decodedBytes, boolean gzip,
                         InputFormat format) {
    }

    /** The object's content is unusable: corrupt gzip, above the decompressed-size cap. */
    public static final class BadObjectException extends IOException {
        public BadObjectException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Reading the object from its source failed (network, S3); the object itself may be fine. */
    public static final class SourceException extends IOException {
        public SourceException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private ObjectReader() {
    }

    public static Result read(InputStream source, InputFormat format, long maxBytes, Sink sink) throws IOException {
        BufferedInputStream in = new BufferedInputStream(new SourceGuard(source), 65536);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        boolean gzip = b1 == GZIP_MAGIC_1 && b2 == GZIP_MAGIC_2;
        InputStream decoded;
        if (gzip) {
            try {
                decoded = new GzipMembers(in);
            } catch (SourceException e) {
                throw e;
            } catch (IOException e) {
                throw new BadObjectException("corrupt gzip header: " + e.getMessage(), e);
            }
        } else {
            decoded = in;
        }
        Capped capped = new Capped(decoded, maxBytes);
        try {
            return decode(capped, format, sink, gzip);
        } catch (SourceException | BadObjectException e) {
            throw e;
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new BadObjectException((gzip ? "corrupt gzip data after " : "truncated after ")
                    + capped.count + " decompressed bytes: " + e.getMessage(), e);
        }
    }

    /** The lines of one object as they are decoded: the format found, and the events and bad lines counted. */
    private static final class Tally {
        private final Sink sink;
        InputFormat mode;
        long lineNo;
        long events;
        long bad;
        String firstBad;

        Tally(InputFormat mode, Sink sink) {
            this.mode = mode;
            this.sink = sink;
        }

        void line(byte[] bytes) throws IOException {
            lineNo++;
            if (mode == InputFormat.AUTO) {
                mode = detect(bytes);
            }
            String err = one(bytes, lineNo, mode, sink);
            if (err == null) {
                events++;
            } else {
                bad++;
                firstBad = firstBad == null ? err : firstBad;
            }
        }
    }

    private static Result decode(Capped in, InputFormat format, Sink sink, boolean gzip) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        Tally tally = new Tally(format, sink);
        byte[] buf = new byte[65536];
        boolean pending = false;
        int n;
        while (true) {
            n = in.read(buf);
            int start = 0;
            if (n > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        line.write(buf, start, i - start);
                        start = i + 1;
                        byte[] bytes = line.toByteArray();
                        line.reset();
                        pending = false;
                        tally.line(bytes);
                    }
                }
                if (start < n) {
                    line.write(buf, start, n - start);
                    pending = true;
                }
            } else if (n < 0) {
                break;
            }
        }
        if (pending || (in.count == 0 && tally.mode != InputFormat.JSON)) {
            // an empty object is the NXLog script's object for one empty event
            tally.line(line.toByteArray());
        }
        return new Result(tally.events, tally.bad, tally.firstBad, in.count, gzip, tally.mode);
    }

    /** Writes one line to the sink; returns the reason when it was flagged. */
    private static String one(byte[] bytes, long lineNo, InputFormat mode, Sink sink) throws IOException {
        if (mode == InputFormat.JSON) {
            try {
                sink.event(EventCodec.fromJson(new String(bytes, StandardCharsets.UTF_8)));
                return null;
            } catch (JsonProcessingException | IllegalArgumentException e) {
                String reason = "line " + lineNo + " is not a JSON event: " + oneLine(e.getMessage());
                sink.badLine(lineNo, bytes, reason);
                return reason;
            }
        }
        sink.event(LogEvent.of(bytes, java.util.Map.of()));
        return null;
    }

    /** An object is JSON when its first line is a JSON object with a string {@code raw_event}. */
    static InputFormat detect(byte[] firstLine) {
        int i = 0;
        while (i < firstLine.length && (firstLine[i] == ' ' || firstLine[i] == '\t')) {
            i++;
        }
        if (i >= firstLine.length || firstLine[i] != '{') {
            return InputFormat.RAW;
        }
        try {
            EventCodec.fromJson(new String(firstLine, StandardCharsets.UTF_8));
            return InputFormat.JSON;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return InputFormat.RAW;
        }
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.replaceAll("[\\r\\n\\t]+", " ").trim();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    /** Marks failures of the underlying source, so that they are not taken for a corrupt object. */
    private static final class SourceGuard extends FilterInputStream {
        SourceGuard(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                throw new SourceException(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw new SourceException(e);
            }
        }
    }

    /** Fails once more than {@code max} bytes have been read. */
    private static final class Capped extends FilterInputStream {
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
                    throw new BadObjectException("more than " + io.s3logroutes.config.Props.formatSize(max)
                            + " (s3logs.fetch.max-object-bytes) after decompression", null);
                }
            }
            return n;
        }
    }
}
