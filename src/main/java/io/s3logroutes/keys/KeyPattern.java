package io.s3logroutes.keys;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.s3logroutes.config.ConfigException;

/**
 * The object key scheme of ship, {@code s3logs.ship.key-pattern}. Tokens in braces: {@code {server}},
 * {@code {hostname}}, {@code {input}}, {@code {seq}} (a per-second counter, zero-padded to 6 digits so that keys sort
 * in write order) and any {@link DateTimeFormatter} pattern such as {@code {yyyy-MM-dd}} or {@code {HH.mm.ss}}
 * (UTC). A pure class: no I/O, no clock.
 */
public final class KeyPattern {

    public static final String DEFAULT = "{server}/{yyyy-MM-dd}/{HH.mm.ss}-{seq}";
    static final Set<String> VARIABLES = Set.of("server", "hostname", "input");

    private sealed interface Part permits Literal, Variable, DatePart, Seq {
    }

    private record Literal(String text) implements Part {
    }

    private record Variable(String name) implements Part {
    }

    private record DatePart(DateTimeFormatter formatter) implements Part {
    }

    private record Seq() implements Part {
    }

    private final String pattern;
    private final List<Part> parts;

    private KeyPattern(String pattern, List<Part> parts) {
        this.pattern = pattern;
        this.parts = parts;
    }

    /**
     * @throws ConfigException when the pattern is malformed, lacks {@code {seq}}, or can produce a key with
     *                         {@code ..}, a leading {@code /}, an empty segment or a control character
     */
    public static KeyPattern parse(String pattern) {
        String key = "s3logs.ship.key-pattern";
        List<Part> parts = new ArrayList<>();
        int seqs = 0;
        int i = 0;
        while (i < pattern.length()) {
            int open = pattern.indexOf('{', i);
            int close = pattern.indexOf('}', i);
            if (close >= 0 && (open < 0 || close < open)) {
                throw new ConfigException(key + " has a '}' without '{' at position " + close + ": " + pattern);
            }
            if (open < 0) {
                parts.add(new Literal(pattern.substring(i)));
                break;
            }
            if (open > i) {
                parts.add(new Literal(pattern.substring(i, open)));
            }
            close = pattern.indexOf('}', open);
            if (close < 0) {
                throw new ConfigException(key + " has an unclosed '{' at position " + open + ": " + pattern);
            }
            String token = pattern.substring(open + 1, close);
            if (token.equals("seq")) {
                parts.add(new Seq());
                seqs++;
            } else if (VARIABLES.contains(token)) {
                parts.add(new Variable(token));
            } else {
                try {
                    parts.add(new DatePart(DateTimeFormatter.ofPattern(token).withZone(ZoneOffset.UTC)));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(key + " has an unknown token {" + token + "}: use {server}, {hostname},"
                            + " {input}, {seq} or a date pattern such as {yyyy-MM-dd}");
                }
            }
            i = close + 1;
        }
        if (seqs != 1) {
            throw new ConfigException(key + " must contain {seq} exactly once: " + pattern);
        }
        KeyPattern p = new KeyPattern(pattern, List.copyOf(parts));
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

    /** The key for time {@code t} and counter {@code seq}; the counter is padded to 6 digits. */
    public String render(Instant t, Map<String, String> vars, long seq) {
        StringBuilder sb = new StringBuilder(64);
        for (Part part : parts) {
            if (part instanceof Literal l) {
                sb.append(l.text());
            } else if (part instanceof Variable v) {
                sb.append(vars.getOrDefault(v.name(), ""));
            } else if (part instanceof DatePart d) {
                sb.append(d.formatter().format(t));
            } else {
                String n = Long.toString(seq);
                sb.append("000000", 0, Math.max(0, 6 - n.length())).append(n);
            }
        }
        return sb.toString();
    }

    /** The key without its counter: keys with the same base share one counter sequence. */
    public String base(Instant t, Map<String, String> vars) {
        return render(t, vars, 0);
    }

    @Override
    public String toString() {
        return pattern;
    }
}
