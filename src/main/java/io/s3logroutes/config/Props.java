package io.s3logroutes.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.util.TimeUtils;

/**
 * Typed, validated access to the {@code s3logs.*} properties. The lookup function is Camel's property resolver in
 * the application and a map in unit tests; every error names the key and the offending value.
 */
public final class Props {

    private static final Pattern SIZE = Pattern.compile("(?i)\\s*(\\d+)\\s*(B|KiB|MiB|GiB|TiB)?\\s*");

    private final Function<String, Optional<String>> lookup;

    public Props(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    public Optional<String> raw(String key) {
        return lookup.apply(key).map(String::trim).filter(s -> !s.isEmpty());
    }

    public String string(String key, String def) {
        return raw(key).orElse(def);
    }

    public String required(String key) {
        return raw(key).orElseThrow(() -> new ConfigException(key + " is required but not set"));
    }

    public boolean bool(String key, boolean def) {
        Optional<String> v = raw(key);
        if (v.isEmpty()) {
            return def;
        }
        String s = v.get().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new ConfigException(key + " must be true or false, got '" + v.get() + "'");
    }

    public int integer(String key, int def, int min, int max) {
        Optional<String> v = raw(key);
        if (v.isEmpty()) {
            return def;
        }
        try {
            int i = Integer.parseInt(v.get());
            if (i < min || i > max) {
                throw new ConfigException(key + " must be between " + min + " and " + max + ", got " + i);
            }
            return i;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number, got '" + v.get() + "'");
        }
    }

    /** A duration written the Camel way: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, or plain milliseconds. */
    public Duration duration(String key, String def) {
        String v = string(key, def);
        return parseDuration(key, v);
    }

    public static Duration parseDuration(String key, String v) {
        try {
            long ms = TimeUtils.toMilliSeconds(v.trim());
            if (ms < 0) {
                throw new IllegalArgumentException("negative");
            }
            return Duration.ofMillis(ms);
        } catch (RuntimeException e) {
            throw new ConfigException(key + " must be a duration such as 500ms, 10s, 5m or 1h, got '" + v + "'");
        }
    }

    /** A size written as {@code 64KiB}, {@code 8MiB}, {@code 2GiB} or a plain number of bytes. */
    public long size(String key, String def) {
        return parseSize(key, string(key, def));
    }

    public static long parseSize(String key, String v) {
        Matcher m = SIZE.matcher(v);
        if (!m.matches()) {
            throw new ConfigException(key + " must be a size such as 64KiB, 8MiB or 2GiB, got '" + v + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        int shift = switch (unit) {
            case "KIB" -> 10;
            case "MIB" -> 20;
            case "GIB" -> 30;
            case "TIB" -> 40;
            default -> 0;
        };
        if (shift > 0 && n > (Long.MAX_VALUE >> shift)) {
            throw new ConfigException(key + " is too large: '" + v + "'");
        }
        return n << shift;
    }

    public List<String> list(String key) {
        return raw(key).map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList())
                .orElse(List.of());
    }

    public <E extends Enum<E>> E choice(String key, String def, Class<E> type) {
        String v = string(key, def);
        for (E e : type.getEnumConstants()) {
            if (e.toString().equalsIgnoreCase(v) || e.name().equalsIgnoreCase(v.replace('-', '_').replace(':', '_'))) {
                return e;
            }
        }
        throw new ConfigException(key + " must be one of " + Arrays.toString(type.getEnumConstants()) + ", got '" + v + "'");
    }

    /** Formats a byte count the way the properties are written (for log lines). */
    public static String formatSize(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int i = 0;
        double d = bytes;
        while (d >= 1024 && i < units.length - 1) {
            d /= 1024;
            i++;
        }
        return i == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", d, units[i]);
    }
}
