package io.s3logroutes.fetch;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.s3logroutes.event.EventCodec;
import io.s3logroutes.event.LogEvent;

/**
 * Decodes one object as a stream, never whole in memory: gunzips when the bytes start with the gzip magic (whatever
 * the key or Content-Encoding says; several gzip members in a row are read as one stream, {@link GzipMembers}), stops with
 * {@link BadObjectException} once more than the cap has been decompressed, splits lines on {@code \n} keeping their
 * exact bytes, and decodes them as NDJSON events ({@link EventCodec#fromJson}) or as raw lines; or reads it as
 * Python pickles, one event each ({@link PickleReader}). The events come out in bounded chunks ({@link #next}), so
 * an object of any size is decoded in little memory. Not thread-safe.
 */
public final class ObjectReader {

    /** The field that flags a line of a JSON object that is not a JSON event (the line is kept as it is). */
    public static final String FETCH_ERROR = "FetchError";

    /**
     * How objects are decoded. {@code AUTO} decides per object: pickles by their first opcodes
     * ({@link PickleReader#looksLikePickle}), else NDJSON or raw lines by the first line.
     */
    public enum InputFormat {
        AUTO("auto"), RAW("raw"), JSON("json"), PICKLE("pickle");

        private final String text;

        InputFormat(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
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

    /** Bytes enough to recognise the opcodes a pickle starts with. */
    private static final int PICKLE_HEAD = 8;
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private final ObjectStreams.Capped in;
    private final boolean gzip;
    private final byte[] buf = new byte[65536];
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private int pos;
    private int lim;
    private boolean eof;
    private boolean done;
    private InputFormat mode;
    private long lineNo;
    private PickleReader pickles;
    private boolean started;
    private long events;
    private long bad;
    private String firstBad;

    private ObjectReader(ObjectStreams.Capped in, boolean gzip, InputFormat format) {
        this.in = in;
        this.gzip = gzip;
        this.mode = format;
    }

    /** Opens an object for decoding: looks at its first two bytes for the gzip magic. */
    public static ObjectReader open(InputStream source, InputFormat format, long maxBytes) throws IOException {
        BufferedInputStream in = new BufferedInputStream(new ObjectStreams.SourceGuard(source), 65536);
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
        return new ObjectReader(new ObjectStreams.Capped(decoded, maxBytes), gzip, format);
    }

    /**
     * The next events in object order: at most {@code maxEvents}, and no more once their lines add up to
     * {@code maxBytes} (a line is never split, so one long line makes a larger chunk); {@code null} after the last.
     *
     * @throws BadObjectException the content is corrupt or above the cap, naming the line it was at
     * @throws SourceException    reading the source failed
     */
    public List<LogEvent> next(int maxEvents, long maxBytes) throws IOException {
        if (done) {
            return null;
        }
        List<LogEvent> chunk = new ArrayList<>(Math.min(maxEvents, 1024));
        long bytes = 0;
        try {
            if (!started) {
                started = true;
                startPickles();
            }
            while (pickles != null && chunk.size() < maxEvents && bytes < maxBytes) {
                LogEvent e = pickles.next();
                if (e == null) {
                    if (pickles.count() == 0) {
                        throw new BadObjectException("the object is empty: no pickle (s3logs.fetch.input-format="
                                + InputFormat.PICKLE + ")", null);
                    }
                    done = true;
                    break;
                }
                bytes += e.raw().length + 1;
                events++;
                chunk.add(e);
            }
            while (pickles == null && chunk.size() < maxEvents && bytes < maxBytes) {
                byte[] l = nextLine();
                if (l == null) {
                    done = true;
                    break;
                }
                bytes += l.length + 1;
                chunk.add(event(l));
            }
        } catch (SourceException | BadObjectException e) {
            throw e;
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new BadObjectException((gzip ? "corrupt gzip data after " : "truncated after ") + in.count
                    + " decompressed bytes (" + (pickles != null ? "pickle " + pickles.count() : "line " + (lineNo + 1))
                    + "): " + e.getMessage(), e);
        }
        return chunk.isEmpty() && done ? null : chunk;
    }

    /** What the object held; complete once {@link #next} returned {@code null}. */
    public Result result() {
        return new Result(events, bad, firstBad, in.count, gzip, mode);
    }

    /**
     * Reads the object as pickles when the format says so, or, with {@code auto}, when its first bytes are the
     * opcodes a pickle of a dict starts with. The bytes looked at are read again, by the pickles or as lines.
     */
    private void startPickles() throws IOException {
        if (mode != InputFormat.AUTO && mode != InputFormat.PICKLE) {
            return;
        }
        // the line reader below reads on to the end itself (a stream at its end answers -1 again)
        boolean ended = false;
        while (lim < PICKLE_HEAD && !ended) {
            int n = in.read(buf, lim, PICKLE_HEAD - lim);
            if (n < 0) {
                ended = true;
            } else {
                lim += n;
            }
        }
        if (mode == InputFormat.PICKLE || PickleReader.looksLikePickle(buf, lim)) {
            mode = InputFormat.PICKLE;
            java.io.InputStream head = new java.io.ByteArrayInputStream(java.util.Arrays.copyOf(buf, lim));
            pickles = new PickleReader(ended ? head : new java.io.SequenceInputStream(head, in));
            lim = 0;
        }
    }

    /** The next line without its {@code \n}, or {@code null} at the end of the object. */
    private byte[] nextLine() throws IOException {
        while (true) {
            for (int i = pos; i < lim; i++) {
                if (buf[i] == '\n') {
                    byte[] l;
                    if (line.size() == 0) {
                        l = java.util.Arrays.copyOfRange(buf, pos, i);
                    } else {
                        line.write(buf, pos, i - pos);
                        l = line.toByteArray();
                        line.reset();
                    }
                    pos = i + 1;
                    lineNo++;
                    return l;
                }
            }
            line.write(buf, pos, lim - pos);
            pos = 0;
            lim = 0;
            if (eof) {
                return null;
            }
            int n = in.read(buf);
            if (n > 0) {
                lim = n;
            } else if (n < 0) {
                eof = true;
                // an empty object is the NXLog script's object for one empty event
                if (line.size() > 0 || (in.count == 0 && mode != InputFormat.JSON && lineNo == 0)) {
                    byte[] l = line.toByteArray();
                    line.reset();
                    lineNo++;
                    return l;
                }
                return null;
            }
        }
    }

    /** Decodes one line; a line of a JSON object that is not a JSON event is kept raw and flagged. */
    private LogEvent event(byte[] bytes) {
        if (mode == InputFormat.AUTO) {
            mode = detect(bytes);
        }
        if (mode == InputFormat.JSON) {
            try {
                LogEvent e = EventCodec.fromJson(new String(bytes, StandardCharsets.UTF_8));
                events++;
                return e;
            } catch (JsonProcessingException | IllegalArgumentException e) {
                String reason = "line " + lineNo + " is not a JSON event: " + oneLine(e.getMessage());
                bad++;
                firstBad = firstBad == null ? reason : firstBad;
                return LogEvent.of(bytes, Map.of(FETCH_ERROR, reason));
            }
        }
        events++;
        return LogEvent.of(bytes, Map.of());
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
}
