package io.s3logroutes.keys;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.s3logroutes.config.ConfigException;

/**
 * A text with tokens in braces: named variables, and any {@link DateTimeFormatter} pattern such as
 * {@code {yyyy-MM-dd}} (formatted in the template's time zone, UTC unless given). Object keys ({@link KeyPattern})
 * and fetch's output file names are such templates. A pure class: no I/O, no clock.
 */
public final class Template {

    private sealed interface Part permits Literal, Variable, DatePart {
    }

    private record Literal(String text) implements Part {
    }

    private record Variable(String name) implements Part {
    }

    private record DatePart(DateTimeFormatter formatter) implements Part {
    }

    private final String text;
    private final List<Part> parts;

    private Template(String text, List<Part> parts) {
        this.text = text;
        this.parts = parts;
    }

    /**
     * @param setting   the property the template comes from, named in every error
     * @param variables the variable names it may use (in the order the error message lists them)
     * @throws ConfigException when a brace is unbalanced or a token is neither a variable nor a date pattern
     */
    public static Template parse(String setting, String text, List<String> variables) {
        return parse(setting, text, variables, ZoneOffset.UTC);
    }

    /**
     * @param zone the time zone of the date patterns
     * @throws ConfigException as {@link #parse(String, String, List)}
     */
    public static Template parse(String setting, String text, List<String> variables, ZoneId zone) {
        Set<String> names = Set.copyOf(variables);
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf('{', i);
            int close = text.indexOf('}', i);
            if (close >= 0 && (open < 0 || close < open)) {
                throw new ConfigException(setting + " has a '}' without '{' at position " + close + ": " + text);
            }
            if (open < 0) {
                parts.add(new Literal(text.substring(i)));
                break;
            }
            if (open > i) {
                parts.add(new Literal(text.substring(i, open)));
            }
            close = text.indexOf('}', open);
            if (close < 0) {
                throw new ConfigException(setting + " has an unclosed '{' at position " + open + ": " + text);
            }
            String token = text.substring(open + 1, close);
            if (names.contains(token)) {
                parts.add(new Variable(token));
            } else {
                try {
                    parts.add(new DatePart(DateTimeFormatter.ofPattern(token).withZone(zone)));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(setting + " has an unknown token {" + token + "}: use "
                            + variables.stream().map(v -> "{" + v + "}").collect(Collectors.joining(", "))
                            + " or a date pattern such as {yyyy-MM-dd}");
                }
            }
            i = close + 1;
        }
        return new Template(text, List.copyOf(parts));
    }

    /** How often a variable occurs. */
    public long count(String variable) {
        return parts.stream().filter(p -> p instanceof Variable v && v.name().equals(variable)).count();
    }

    /** The text for time {@code t}, each variable replaced by {@code values}. */
    public String render(Instant t, Function<String, String> values) {
        StringBuilder sb = new StringBuilder(64);
        for (Part part : parts) {
            if (part instanceof Literal l) {
                sb.append(l.text());
            } else if (part instanceof Variable v) {
                sb.append(values.apply(v.name()));
            } else if (part instanceof DatePart d) {
                sb.append(d.formatter().format(t));
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
