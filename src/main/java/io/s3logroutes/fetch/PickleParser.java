package io.s3logroutes.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * razorvine's {@link Unpickler}, narrowed to data: the opcode machine, stack and memo are the library's, and these
 * opcodes are handled here instead.
 *
 * <ul>
 *   <li>Globals ({@code GLOBAL}, {@code STACK_GLOBAL}, {@code INST}) never reach the library's registry of
 *       constructors, which is static and shared by the whole JVM. Only {@code datetime.datetime} (with
 *       {@code datetime.timezone}, {@code datetime.timedelta} and {@code pytz._UTC} for its tzinfo),
 *       {@code _codecs.encode} and {@code bytes} (Python 3's {@code bytes} below protocol 3) are built; any other
 *       global becomes a {@link Foreign} that holds its name only: no class is instantiated, no code runs.
 *       {@code BUILD} is accepted on a {@link Foreign} only (its state is dropped).</li>
 *   <li>Python 2 byte strings ({@code STRING} {@code S'…'}, {@code BINSTRING}, {@code SHORT_BINSTRING}) become
 *       {@code byte[]} with their exact bytes (the library makes a latin-1 {@code String} of them, which a unicode
 *       string could not be told apart from); {@code UNICODE} is decoded as raw-unicode-escape.</li>
 *   <li>Dicts keep their order ({@link LinkedHashMap}), also within {@code SETITEMS}.</li>
 *   <li>Counted strings and bytes are read as they arrive ({@link InputStream#readNBytes(int)}), so a length field
 *       alone allocates nothing: memory follows the object's real size.</li>
 * </ul>
 * Not thread-safe; one instance reads the pickles of one object one after another ({@link #load}).
 */
final class PickleParser extends Unpickler {

    /** An object of a class that is not read; only its name is kept. */
    record Foreign(String type) {
    }

    /** {@code datetime.timedelta}, only read as the offset of a {@code datetime.timezone}. */
    record Timedelta(long micros) {
    }

    /** A fixed UTC offset ({@code datetime.timezone}, {@code pytz.utc}). */
    record Offset(long micros) {
    }

    /** {@code datetime.datetime}: naive ({@code offset} null) or with a fixed offset. */
    record DateTime(LocalDateTime local, Offset offset) {
        /** As Python's {@code datetime.isoformat()} writes it. */
        String iso() {
            StringBuilder b = new StringBuilder(String.format("%04d-%02d-%02dT%02d:%02d:%02d", local.getYear(),
                    local.getMonthValue(), local.getDayOfMonth(), local.getHour(), local.getMinute(),
                    local.getSecond()));
            int us = local.getNano() / 1000;
            if (us != 0) {
                b.append(String.format(".%06d", us));
            }
            if (offset != null) {
                long m = Math.abs(offset.micros());
                b.append(offset.micros() < 0 ? '-' : '+').append(String.format("%02d:%02d", m / 3_600_000_000L,
                        m / 60_000_000L % 60));
                if (m % 60_000_000L != 0) {
                    b.append(String.format(":%02d", m / 1_000_000L % 60));
                    if (m % 1_000_000L != 0) {
                        b.append(String.format(".%06d", m % 1_000_000L));
                    }
                }
            }
            return b.toString();
        }
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        switch (key) {
            case Opcodes.STRING -> stack.add(escapedBytes(PickleUtils.readline(input)));
            case Opcodes.BINSTRING -> stack.add(counted(int4()));
            case Opcodes.SHORT_BINSTRING -> stack.add(counted(byte1()));
            case Opcodes.UNICODE -> stack.add(rawUnicodeEscape(PickleUtils.readline(input)));
            case Opcodes.BINUNICODE -> stack.add(utf8(counted(int4())));
            case Opcodes.SHORT_BINUNICODE -> stack.add(utf8(counted(byte1())));
            case Opcodes.BINUNICODE8 -> stack.add(utf8(counted(int8())));
            case Opcodes.BINBYTES -> stack.add(counted(int4()));
            case Opcodes.SHORT_BINBYTES -> stack.add(counted(byte1()));
            case Opcodes.BINBYTES8 -> stack.add(counted(int8()));
            case Opcodes.BYTEARRAY8 -> {
                counted(int8());
                stack.add(new Foreign("bytearray"));
            }
            case Opcodes.LONG4 -> stack.add(PickleUtils.decode_long(counted(int4())));
            case Opcodes.GLOBAL -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(constructor(module, name));
            }
            case Opcodes.STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                stack.add(constructor(String.valueOf(module), String.valueOf(name)));
            }
            case Opcodes.INST -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                List<Object> args = stack.pop_all_since_marker();
                stack.add(constructor(module, name).construct(args.toArray()));
            }
            case Opcodes.BUILD -> {
                stack.pop();
                Object target = stack.peek();
                if (!(target instanceof Foreign)) {
                    throw new PickleException("BUILD (object state) on a " + typeName(target));
                }
            }
            case Opcodes.EMPTY_DICT -> stack.add(new LinkedHashMap<>());
            case Opcodes.DICT -> {
                Map<Object, Object> m = new LinkedHashMap<>();
                putAll(m, stack.pop_all_since_marker());
                stack.add(m);
            }
            case Opcodes.SETITEMS -> {
                List<Object> items = stack.pop_all_since_marker();
                putAll(dict(stack.peek()), items);
            }
            default -> {
                return super.dispatch(key);
            }
        }
        return NO_RETURN_VALUE;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> dict(Object o) {
        if (!(o instanceof Map)) {
            throw new PickleException("SETITEMS on a " + typeName(o));
        }
        return (Map<Object, Object>) o;
    }

    private static void putAll(Map<Object, Object> m, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw new PickleException("an odd number of items for a dict");
        }
        for (int i = 0; i < items.size(); i += 2) {
            m.put(items.get(i), items.get(i + 1));
        }
    }

    /** The constructor a global stands for: one of the few types read, else a {@link Foreign} of that name. */
    private static IObjectConstructor constructor(String module, String name) {
        String full = module + "." + name;
        return switch (full) {
            case "datetime.datetime" -> PickleParser::datetime;
            case "datetime.timezone" -> args -> {
                if (args.length >= 1 && args[0] instanceof Timedelta d) {
                    return new Offset(d.micros());
                }
                return new Foreign(full);
            };
            case "datetime.timedelta" -> args -> new Timedelta(Math.addExact(Math.addExact(
                    Math.multiplyExact(part(args, 0), 86_400_000_000L), Math.multiplyExact(part(args, 1), 1_000_000L)),
                    part(args, 2)));
            case "pytz._UTC" -> args -> new Offset(0);
            case "_codecs.encode" -> args -> {
                // Python 3's bytes below protocol 3: encode(text, 'latin1')
                if (args.length == 2 && args[0] instanceof String s
                        && ("latin1".equals(args[1]) || "latin-1".equals(args[1]))) {
                    return s.getBytes(StandardCharsets.ISO_8859_1);
                }
                return new Foreign(full);
            };
            case "__builtin__.bytes", "builtins.bytes" -> args -> args.length == 0 ? new byte[0] : new Foreign(full);
            default -> args -> new Foreign(full.startsWith("__builtin__.") || full.startsWith("builtins.")
                    ? name : full);
        };
    }

    /** Days, seconds or microseconds of a timedelta. */
    private static long part(Object[] args, int i) {
        if (i >= args.length) {
            return 0;
        }
        if (args[i] instanceof Integer || args[i] instanceof Long) {
            return ((Number) args[i]).longValue();
        }
        throw new PickleException("datetime.timedelta of a " + typeName(args[i]));
    }

    /** {@code datetime(state)}, {@code datetime(state, tzinfo)} or {@code datetime(y, m, d[, H, M, S, us])}. */
    private static Object datetime(Object[] args) {
        LocalDateTime local;
        Object tz = null;
        try {
            if (args.length >= 1 && args[0] instanceof byte[] s && s.length == 10) {
                // Python's state: year (2 bytes), month (its high bit: fold), day, hour, minute, second, us (3 bytes)
                local = LocalDateTime.of(((s[0] & 0xff) << 8) | (s[1] & 0xff), s[2] & 0x7f, s[3] & 0xff,
                        s[4] & 0xff, s[5] & 0xff, s[6] & 0xff,
                        (((s[7] & 0xff) << 16) | ((s[8] & 0xff) << 8) | (s[9] & 0xff)) * 1000);
                tz = args.length > 1 ? args[1] : null;
            } else if (args.length >= 3 && args.length <= 8) {
                int[] f = new int[7];
                for (int i = 0; i < Math.min(args.length, 7); i++) {
                    if (!(args[i] instanceof Integer n)) {
                        return new Foreign("datetime.datetime of a " + typeName(args[i]));
                    }
                    f[i] = n;
                }
                local = LocalDateTime.of(f[0], f[1], f[2], f[3], f[4], f[5], f[6] * 1000);
                tz = args.length == 8 ? args[7] : null;
            } else {
                return new Foreign("datetime.datetime of " + args.length + " arguments");
            }
        } catch (DateTimeException e) {
            throw new PickleException("an invalid datetime: " + e.getMessage());
        }
        if (tz == null || tz instanceof Offset) {
            return new DateTime(local, (Offset) tz);
        }
        return new Foreign("datetime.datetime with tzinfo " + typeName(tz));
    }

    /** The Python name of what was read, for messages. */
    static String typeName(Object o) {
        if (o == null) {
            return "NoneType";
        }
        if (o instanceof Foreign f) {
            return f.type();
        }
        if (o instanceof Map) {
            return "dict";
        }
        if (o instanceof List) {
            return "list";
        }
        if (o instanceof Object[]) {
            return "tuple";
        }
        if (o instanceof java.util.Set) {
            return "set";
        }
        if (o instanceof Timedelta) {
            return "datetime.timedelta";
        }
        if (o instanceof Offset) {
            return "datetime.timezone";
        }
        if (o instanceof IObjectConstructor) {
            return "a class or function";
        }
        if (o instanceof String) {
            return "str";
        }
        if (o instanceof byte[]) {
            return "bytes";
        }
        if (o instanceof Boolean) {
            return "bool";
        }
        if (o instanceof Double) {
            return "float";
        }
        if (o instanceof Number) {
            return "int";
        }
        return o.getClass().getSimpleName();
    }

    private int byte1() throws IOException {
        return PickleUtils.readbyte(input);
    }

    private long int4() throws IOException {
        return PickleUtils.bytes_to_integer(PickleUtils.readbytes(input, 4));
    }

    private long int8() throws IOException {
        return PickleUtils.bytes_to_long(PickleUtils.readbytes(input, 8), 0);
    }

    /** {@code n} bytes, read as they arrive: a false length allocates nothing before the data fails to come. */
    private byte[] counted(long n) throws IOException {
        if (n < 0 || n > Integer.MAX_VALUE - 8) {
            throw new PickleException("a string of " + n + " bytes");
        }
        byte[] b = input.readNBytes((int) n);
        if (b.length < n) {
            throw new IOException("premature end of file (a string of " + n + " bytes ends after " + b.length + ")");
        }
        return b;
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * The bytes of a Python 2 {@code repr} of a byte string, as {@code STRING} holds it ({@code 'caf\xc3\xa9'}, or
     * in double quotes): the escapes of Python's {@code string_escape} ({@code \\xhh}, octal, {@code \\n}, …); the
     * line was read one char per byte.
     */
    static byte[] escapedBytes(String line) {
        if (line.length() < 2 || line.charAt(0) != line.charAt(line.length() - 1)
                || (line.charAt(0) != '\'' && line.charAt(0) != '"')) {
            throw new PickleException("a STRING that is not quoted");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(line.length());
        int end = line.length() - 1;
        for (int i = 1; i < end; i++) {
            char c = line.charAt(i);
            if (c != '\\') {
                out.write(c);
                continue;
            }
            if (++i >= end) {
                throw new PickleException("a STRING that ends in a backslash");
            }
            char e = line.charAt(i);
            switch (e) {
                case '\\', '\'', '"' -> out.write(e);
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'a' -> out.write(7);
                case 'b' -> out.write('\b');
                case 'f' -> out.write('\f');
                case 'v' -> out.write(11);
                case 'x' -> {
                    if (i + 2 >= end) {
                        throw new PickleException("a STRING with a short \\x escape");
                    }
                    out.write(Integer.parseInt(line.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = 0;
                        int n = 0;
                        while (n < 3 && i < end && line.charAt(i) >= '0' && line.charAt(i) <= '7') {
                            v = v * 8 + (line.charAt(i++) - '0');
                            n++;
                        }
                        i--;
                        out.write(v & 0xff);
                    } else {
                        // Python keeps an unknown escape as it is
                        out.write('\\');
                        out.write(e);
                    }
                }
            }
        }
        return out.toByteArray();
    }

    /**
     * The text of {@code UNICODE}, raw-unicode-escape encoded: one char per byte (latin-1), but {@code \\uXXXX} and
     * {@code \\UXXXXXXXX} after an odd number of backslashes.
     */
    static String rawUnicodeEscape(String line) {
        StringBuilder b = new StringBuilder(line.length());
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\\') {
                int run = 0;
                while (i + run < line.length() && line.charAt(i + run) == '\\') {
                    run++;
                }
                int next = i + run;
                if (run % 2 == 1 && next < line.length() && (line.charAt(next) == 'u' || line.charAt(next) == 'U')) {
                    int digits = line.charAt(next) == 'u' ? 4 : 8;
                    if (next + 1 + digits > line.length()) {
                        throw new PickleException("a UNICODE with a short \\" + line.charAt(next) + " escape");
                    }
                    b.append("\\".repeat(run - 1));
                    b.appendCodePoint(Integer.parseInt(line.substring(next + 1, next + 1 + digits), 16));
                    i = next + 1 + digits;
                } else {
                    b.append("\\".repeat(run));
                    i = next;
                }
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }
}
