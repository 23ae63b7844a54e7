package io.s3logroutes.fetch;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipException;

import io.s3logroutes.event.LogEvent;

/**
 * The events of an object that holds Python pickles, one dict of fields each, one pickle after another (an NXLog
 * object holds one; a collapsed object several). Parsed by {@link PickleParser}, which never executes code nor
 * instantiates a class. Each dict becomes one event:
 *
 * <ul>
 *   <li>{@code raw_event} gives the line: the exact bytes of a byte string (Python 2 {@code str}, Python 3
 *       {@code bytes}), a unicode text as UTF-8; {@code raw_event_b64} (as ship writes it for a line that is not
 *       valid UTF-8) gives back exact bytes, as in NDJSON.</li>
 *   <li>Other fields: a unicode text stays text; a byte string is read as UTF-8 (invalid sequences become U+FFFD)
 *       and, when it is not valid UTF-8, its exact bytes are kept in the field {@code NAME_b64} (base64), the way
 *       {@code raw_event_b64} keeps a line's; {@code int} and {@code float} become numbers, {@code bool} true or
 *       false, {@code datetime} its ISO-8601 text as Python's {@code isoformat()} writes it.</li>
 *   <li>Anything else (a list, a tuple, {@code None}, a non-finite float, a datetime with a tzinfo other than a
 *       fixed offset, any other class) makes the object bad: {@link ObjectReader.BadObjectException} naming the
 *       pickle, the field and the type.</li>
 * </ul>
 */
final class PickleReader {

    private static final int PROTO = 0x80;

    private final Counting counted;
    private final PushbackInputStream in;
    private final PickleParser parser = new PickleParser();
    private long index;

    /** @param in the object's decoded bytes, at the start of its first pickle */
    PickleReader(InputStream in) {
        this.counted = new Counting(new java.io.BufferedInputStream(in, 8192));
        this.in = new PushbackInputStream(counted, 1);
    }

    /**
     * Whether the first bytes of an object are the opcodes a pickle of a dict starts with: {@code PROTO} 2 to 5
     * ({@code \x80\x02}…{@code \x80\x05}); protocol 0, Python 2's and 3's form, {@code MARK DICT} followed by a
     * {@code PUT} or an item ({@code (dp0\n}, {@code (dS'}, {@code (dV}) or {@code STOP}; protocol 1,
     * {@code EMPTY_DICT} followed by {@code BINPUT}, {@code MARK} or {@code STOP} and then a string opcode.
     */
    static boolean looksLikePickle(byte[] b, int len) {
        if (len >= 2 && (b[0] & 0xff) == PROTO) {
            return b[1] >= 2 && b[1] <= 5;
        }
        if (len >= 3 && b[0] == '(' && b[1] == 'd') {
            return (b[2] == 'p' && len >= 4 && b[3] >= '0' && b[3] <= '9')
                    || (b[2] == 'S' && len >= 4 && (b[3] == '\'' || b[3] == '"')) || b[2] == 'V' || b[2] == '.';
        }
        if (len >= 2 && b[0] == '}') {
            if (b[1] == '.') {
                return true;
            }
            int i = b[1] == 'q' ? 3 : 1;
            if (i < len && b[i] == '(') {
                i++;
            }
            return i > 1 && i < len && "XUTSV".indexOf(b[i]) >= 0;
        }
        return false;
    }

    /** The next pickle's event; {@code null} at the end of the object. */
    LogEvent next() throws IOException {
        int b = in.read();
        if (b < 0) {
            return null;
        }
        in.unread(b);
        index++;
        long at = counted.count - 1;
        Object o;
        try {
            o = parser.load(in);
        } catch (ObjectReader.SourceException | ObjectReader.BadObjectException | ZipException | EOFException e) {
            // a failed read of S3, the size cap, a corrupt gzip stream: the caller tells them apart
            throw e;
        } catch (IOException | RuntimeException e) {
            throw bad(at, "not a valid pickle: " + (e.getMessage() == null ? e.toString() : e.getMessage())
                    + (e instanceof IOException || e instanceof net.razorvine.pickle.PickleException ? ""
                    : " (" + e.getClass().getSimpleName() + ")"), e);
        }
        return event(o, at);
    }

    /** Pickles read so far. */
    long count() {
        return index;
    }

    private LogEvent event(Object o, long at) throws ObjectReader.BadObjectException {
        if (!(o instanceof Map<?, ?> dict)) {
            throw bad(at, "holds a " + PickleParser.typeName(o) + ", not a dict of fields", null);
        }
        byte[] raw = null;
        Object b64 = null;
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            String name;
            if (e.getKey() instanceof String s) {
                name = s;
            } else if (e.getKey() instanceof byte[] k) {
                name = new String(k, StandardCharsets.UTF_8);
            } else {
                throw bad(at, "has a key of type " + PickleParser.typeName(e.getKey())
                        + "; the keys of a dict of fields are texts", null);
            }
            Object v = e.getValue();
            if (LogEvent.RAW_EVENT.equals(name)) {
                if (v instanceof byte[] bytes) {
                    raw = bytes;
                } else if (v instanceof String s) {
                    raw = s.getBytes(StandardCharsets.UTF_8);
                } else {
                    throw bad(at, "field 'raw_event' is a " + PickleParser.typeName(v) + ", not a text", null);
                }
            } else if (LogEvent.RAW_EVENT_B64.equals(name)) {
                b64 = v;
            } else {
                value(fields, name, v, at);
            }
        }
        if (raw == null) {
            throw bad(at, "has no field 'raw_event' (the keys: " + dict.keySet().stream()
                    .map(k -> k instanceof byte[] x ? new String(x, StandardCharsets.UTF_8) : String.valueOf(k))
                    .toList() + ")", null);
        }
        if (b64 != null) {
            raw = base64(b64, at);
        }
        return LogEvent.of(raw, fields);
    }

    private void value(Map<String, Object> fields, String name, Object v, long at)
            throws ObjectReader.BadObjectException {
        if (v instanceof String || v instanceof Integer || v instanceof Long || v instanceof BigInteger
                || v instanceof Boolean) {
            fields.put(name, v);
        } else if (v instanceof byte[] bytes) {
            fields.put(name, new String(bytes, StandardCharsets.UTF_8));
            if (!LogEvent.isValidUtf8(bytes)) {
                fields.putIfAbsent(name + "_b64", Base64.getEncoder().encodeToString(bytes));
            }
        } else if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                throw bad(at, "field '" + name + "' is the float " + d + ", which JSON cannot hold", null);
            }
            fields.put(name, d);
        } else if (v instanceof PickleParser.DateTime t) {
            fields.put(name, t.iso());
        } else {
            throw bad(at, "field '" + name + "' is a " + PickleParser.typeName(v)
                    + ": only str, bytes, unicode, int, float, bool and datetime are read", null);
        }
    }

    private byte[] base64(Object v, long at) throws ObjectReader.BadObjectException {
        String s = v instanceof byte[] b ? new String(b, StandardCharsets.US_ASCII)
                : v instanceof String t ? t : null;
        try {
            if (s != null) {
                return Base64.getDecoder().decode(s);
            }
        } catch (IllegalArgumentException e) {
            throw bad(at, "field 'raw_event_b64' is not base64: " + e.getMessage(), e);
        }
        throw bad(at, "field 'raw_event_b64' is a " + PickleParser.typeName(v) + ", not a text", null);
    }

    private ObjectReader.BadObjectException bad(long at, String what, Throwable cause) {
        return new ObjectReader.BadObjectException("pickle " + index + " (at byte " + at + "): " + what, cause);
    }

    /** Counts the bytes read, so that a problem names where its pickle starts. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
