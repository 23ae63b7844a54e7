package io.s3logroutes.fetch;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.s3logroutes.config.ConfigException;
import io.s3logroutes.keys.KeyPattern;

/**
 * The output file name of {@code s3logs.fetch.output-file}. Tokens in braces: {@code {server}} (the key segment
 * before the {@code yyyy-MM-dd/HH.mm.ss-} part, else the first segment of the key) and any
 * {@link DateTimeFormatter} pattern such as {@code {yyyy-MM-dd}}, formatted in UTC from the time encoded in the
 * key (else the object's LastModified). A pure class.
 */
public final class OutputPath {

    private static final Pattern SERVER = Pattern.compile("(?:^|/)([^/]+)/\\d{4}-\\d{2}-\\d{2}/\\d{2}\\.\\d{2}\\.\\d{2}-");

    private sealed interface Part permits Literal, Server, DatePart {
    }

    private record Literal(String text) implements Part {
    }

    private record Server() implements Part {
    }

    private record DatePart(DateTimeFormatter formatter) implements Part {
    }

    private final String template;
    private final List<Part> parts;

    private OutputPath(String template, List<Part> parts) {
        this.template = template;
        this.parts = parts;
    }

    /** @throws ConfigException naming {@code setting} when a brace is unbalanced or a token is unknown */
    public static OutputPath parse(String setting, String template) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            int close = template.indexOf('}', i);
            if (close >= 0 && (open < 0 || close < open)) {
                throw new ConfigException(setting + " has a '}' without '{' at position " + close + ": " + template);
            }
            if (open < 0) {
                parts.add(new Literal(template.substring(i)));
                break;
            }
            if (open > i) {
                parts.add(new Literal(template.substring(i, open)));
            }
            close = template.indexOf('}', open);
            if (close < 0) {
                throw new ConfigException(setting + " has an unclosed '{' at position " + open + ": " + template);
            }
            String token = template.substring(open + 1, close);
            if (token.equals("server")) {
                parts.add(new Server());
            } else {
                try {
                    parts.add(new DatePart(DateTimeFormatter.ofPattern(token).withZone(ZoneOffset.UTC)));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(setting + " has an unknown token {" + token + "}: use {server} or a"
                            + " date pattern such as {yyyy-MM-dd}");
                }
            }
            i = close + 1;
        }
        if (template.isBlank()) {
            throw new ConfigException(setting + " must not be empty");
        }
        return new OutputPath(template, List.copyOf(parts));
    }

    /** The server part of a key, see the class comment. */
    public static String serverOf(String key) {
        Matcher m = SERVER.matcher(key);
        if (m.find()) {
            return m.group(1);
        }
        int slash = key.indexOf('/');
        return slash > 0 ? key.substring(0, slash) : "_";
    }

    /**
     * @param time the time of the key (see the class comment)
     * @throws IllegalArgumentException when the key's server part cannot be a file name ({@code ..}, control
     *                                  characters)
     */
    public Path resolve(String key, Instant time) {
        StringBuilder sb = new StringBuilder(64);
        for (Part part : parts) {
            if (part instanceof Literal l) {
                sb.append(l.text());
            } else if (part instanceof Server) {
                String server = serverOf(key);
                if (KeyPattern.problem(server) != null || server.contains("\\")) {
                    throw new IllegalArgumentException("the server part '" + server + "' of the key cannot be part"
                            + " of a file name");
                }
                sb.append(server);
            } else if (part instanceof DatePart d) {
                sb.append(d.formatter().format(time));
            }
        }
        return Path.of(sb.toString()).normalize();
    }

    @Override
    public String toString() {
        return template;
    }
}
