package io.s3logroutes.event;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One event as a Python pickle, protocol 2: a dict of its fields, which {@code pickle.loads} reads in Python 2 and 3
 * alike. The fields are those of {@link EventCodec#toJson}, in the same order: {@code raw_event} first (the line as
 * text; invalid UTF-8 sequences become U+FFFD), every other field, then {@code raw_event_b64} with the exact bytes
 * when the line is not valid UTF-8. Texts are unicode ({@code BINUNICODE}: {@code str} in Python 3, {@code unicode}
 * in Python 2), so no Python needs an {@code encoding} argument; integers are {@code int} (Python 2: {@code long}
 * beyond 32 bits), other numbers {@code float}, booleans {@code bool}, a null {@code None}; any other value (a list
 * or a date that the event stage set) is written as its text. Only protocol-2 opcodes, no memo, no globals.
 */
public final class EventPickle {

    /** The content type of a pickled object. */
    public static final String CONTENT_TYPE = "application/x-python-pickle";

    private static final int PROTO = 0x80;
    private static final int EMPTY_DICT = '}';
    private static final int MARK = '(';
    private static final int SETITEMS = 'u';
    private static final int STOP = '.';
    private static final int BINUNICODE = 'X';
    private static final int BININT1 = 'K';
    private static final int BININT2 = 'M';
    private static final int BININT = 'J';
    private static final int LONG1 = 0x8a;
    private static final int LONG4 = 0x8b;
    private static final int BINFLOAT = 'G';
    private static final int NEWTRUE = 0x88;
    private static final int NEWFALSE = 0x89;
    private static final int NONE = 'N';

    private EventPickle() {
    }

    /** The event as one protocol-2 pickle (no line end: an object holds exactly this). */
    public static byte[] encode(LogEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(LogEvent.RAW_EVENT, e.rawText());
        m.putAll(e.fields());
        if (!e.isValidUtf8()) {
            m.put(LogEvent.RAW_EVENT_B64, Base64.getEncoder().encodeToString(e.raw()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + e.raw().length * 2);
        out.write(PROTO);
        out.write(2);
        out.write(EMPTY_DICT);
        out.write(MARK);
        for (Map.Entry<String, Object> f : m.entrySet()) {
            text(out, f.getKey());
            value(out, f.getValue());
        }
        out.write(SETITEMS);
        out.write(STOP);
        return out.toByteArray();
    }

    private static void value(ByteArrayOutputStream out, Object v) {
        if (v == null) {
            out.write(NONE);
        } else if (v instanceof Boolean b) {
            out.write(b ? NEWTRUE : NEWFALSE);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof AtomicInteger || v instanceof AtomicLong) {
            integer(out, ((Number) v).longValue());
        } else if (v instanceof BigInteger big) {
            if (big.bitLength() < 64) {
                integer(out, big.longValue());
            } else {
                long1(out, big);
            }
        } else if (v instanceof Number n) {
            out.write(BINFLOAT);
            long bits = Double.doubleToLongBits(n.doubleValue());
            for (int s = 56; s >= 0; s -= 8) {
                out.write((int) (bits >>> s));
            }
        } else {
            text(out, v.toString());
        }
    }

    private static void integer(ByteArrayOutputStream out, long v) {
        if (v >= 0 && v < 0x100) {
            out.write(BININT1);
            out.write((int) v);
        } else if (v >= 0 && v < 0x10000) {
            out.write(BININT2);
            out.write((int) v);
            out.write((int) (v >>> 8));
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write(BININT);
            le(out, v, 4);
        } else {
            long1(out, BigInteger.valueOf(v));
        }
    }

    /** {@code LONG1} ({@code LONG4} past 255 bytes): the two's complement, little-endian, in the fewest bytes. */
    private static void long1(ByteArrayOutputStream out, BigInteger v) {
        byte[] be = v.toByteArray();
        if (be.length < 0x100) {
            out.write(LONG1);
            out.write(be.length);
        } else {
            out.write(LONG4);
            le(out, be.length, 4);
        }
        for (int i = be.length - 1; i >= 0; i--) {
            out.write(be[i]);
        }
    }

    private static void text(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(BINUNICODE);
        le(out, b.length, 4);
        out.writeBytes(b);
    }

    private static void le(ByteArrayOutputStream out, long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }
}
