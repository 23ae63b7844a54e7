package io.s3logroutes.keys;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.s3logroutes.config.ConfigException;

/**
 * The object key scheme of ship, {@code s3logs.ship.key-pattern}. Tokens in braces: {@code {server}},
 * {@code {hostname}}, {@code {input}}, {@code {seq}} (a per-second counter, zero-padded to {@code seqDigits} digits,
 * 6 unless given, so that keys sort in write order; 1 gives the NXLog script's unpadded counter) and any
 * {@code DateTimeFormatter} pattern such as {@code {yyyy-MM-dd}} or {@code {HH.mm.ss}} (in the pattern's time zone,
 * UTC unless given: {@code s3logs.ship.key-time-zone}). A pure class: no I/O, no clock.
 */
public final class KeyPattern {

    public static final String DEFAULT = "{server}/{yyyy-MM-dd}/{HH.mm.ss}-{seq}";
    /** The digits {@code {seq}} is padded to unless a pattern is given others. */
    public static final int DEFAULT_SEQ_DIGITS = 6;
    /** The most digits {@code {seq}} may be padded to (a {@code long} counter has at most 19). */
    public static final int MAX_SEQ_DIGITS = 19;
    private static final List<String> VARIABLES = List.of("server", "hostname", "input", "seq");

    private final Template template;
    private final ZoneId zone;
    private final int seqDigits;

    private KeyPattern(Template template, ZoneId zone, int seqDigits) {
        this.template = template;
        this.zone = zone;
        this.seqDigits = seqDigits;
    }

    /**
     * @throws ConfigException when the pattern is malformed, lacks {@code {seq}}, or can produce a key with
     *                         {@code ..}, a leading {@code /}, an empty segment or a control character
     */
    public static KeyPattern parse(String pattern) {
        return parse("s3logs.ship.key-pattern", pattern);
    }

    /**
     * @param key where the pattern comes from (a setting, a header), named in every error
     * @throws ConfigException as {@link #parse(String)}
     */
    public static KeyPattern parse(String key, String pattern) {
        return parse(key, pattern, ZoneOffset.UTC, DEFAULT_SEQ_DIGITS);
    }

    /**
     * @param zone      the time zone of the pattern's date parts
     * @param seqDigits the digits {@code {seq}} is padded to, 1 (no padding) to {@value #MAX_SEQ_DIGITS}
     * @throws ConfigException as {@link #parse(String)}
     */
    public static KeyPattern parse(String key, String pattern, ZoneId zone, int seqDigits) {
        if (seqDigits < 1 || seqDigits > MAX_SEQ_DIGITS) {
            throw new IllegalArgumentException("seqDigits must be between 1 and " + MAX_SEQ_DIGITS + ", got "
                    + seqDigits);
        }
        Template t = Template.parse(key, pattern, VARIABLES, zone);
        if (t.count("seq") != 1) {
            throw new ConfigException(key + " must contain {seq} exactly once: " + pattern);
        }
        KeyPattern p = new KeyPattern(t, zone, seqDigits);
        String sample = p.render(Instant.parse("2018-05-17T13:45:07Z"), Map.of("server", "S", "hostname", "h", "input", "i"), 1);
        String problem = problem(sample);
        if (problem != null) {
            throw new ConfigException(key + " " + pattern + " produces keys with " + problem + " (e.g. '" + sample + "')");
        }
        return p;
    }

    /** What is wrong with a key, or {@code null}. Checks variable values too. */
    public static String problem(String key) {
        if (key.isEmpty()) {
            return "an empty key";
        }
        if (key.startsWith("/")) {
            return "a leading '/'";
        }
        if (key.endsWith("/")) {
            return "a trailing '/'";
        }
        if (key.contains("//")) {
            return "an empty segment";
        }
        for (String seg : key.split("/")) {
            if (seg.equals("..") || seg.equals(".")) {
                return "a '" + seg + "' segment";
            }
        }
        if (key.contains("..")) {
            return "'..'";
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "a control character";
            }
        }
        return null;
    }

    /** Checks a value for {@code {server}}, {@code {hostname}} or {@code {input}}. */
    public static void checkVariable(String setting, String value) {
        if (value.isEmpty() || value.contains("/") || problem(value) != null) {
            throw new ConfigException(setting + " '" + value + "' cannot be part of an object key"
                    + " (empty, '/', '..' or a control character)");
        }
    }

    /**
     * Another pattern ({@code pattern}, named {@code key} in errors) with this one's time zone and counter digits: the
     * key pattern an event sets at the event stage.
     *
     * @throws ConfigException as {@link #parse(String)}
     */
    public KeyPattern other(String key, String pattern) {
        return parse(key, pattern, zone, seqDigits);
    }

    /** The key for time {@code t} and counter {@code seq}; the counter is padded to {@link #seqDigits()} digits. */
    public String render(Instant t, Map<String, String> vars, long seq) {
        return template.render(t, name -> name.equals("seq") ? pad(seq) : vars.getOrDefault(name, ""));
    }

    private String pad(long seq) {
        String n = Long.toString(seq);
        return n.length() >= seqDigits ? n : "0".repeat(seqDigits - n.length()) + n;
    }

    /** The time zone of the date parts. */
    public ZoneId zone() {
        return zone;
    }

    /** The digits {@code {seq}} is padded to; 1: not padded. */
    public int seqDigits() {
        return seqDigits;
    }

    /** The key without its counter: keys with the same base share one counter sequence. */
    public String base(Instant t, Map<String, String> vars) {
        return render(t, vars, 0);
    }

    @Override
    public String toString() {
        return template.toString();
    }
}
