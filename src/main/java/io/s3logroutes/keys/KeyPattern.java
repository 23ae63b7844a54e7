package io.s3logroutes.keys;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.s3logroutes.config.ConfigException;

/**
 * The object key scheme of ship, {@code s3logs.ship.key-pattern}. Tokens in braces: {@code {server}},
 * {@code {hostname}}, {@code {input}}, {@code {seq}} (a per-second counter, zero-padded to 6 digits so that keys sort
 * in write order) and any {@code DateTimeFormatter} pattern such as {@code {yyyy-MM-dd}} or {@code {HH.mm.ss}}
 * (UTC). A pure class: no I/O, no clock.
 */
public final class KeyPattern {

    public static final String DEFAULT = "{server}/{yyyy-MM-dd}/{HH.mm.ss}-{seq}";
    private static final List<String> VARIABLES = List.of("server", "hostname", "input", "seq");

    private final Template template;

    private KeyPattern(Template template) {
        this.template = template;
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
        Template t = Template.parse(key, pattern, VARIABLES);
        if (t.count("seq") != 1) {
            throw new ConfigException(key + " must contain {seq} exactly once: " + pattern);
        }
        KeyPattern p = new KeyPattern(t);
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
        return template.render(t, name -> name.equals("seq") ? pad(seq) : vars.getOrDefault(name, ""));
    }

    private static String pad(long seq) {
        String n = Long.toString(seq);
        return "000000".substring(Math.min(6, n.length())) + n;
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
