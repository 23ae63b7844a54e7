package io.s3logroutes.fetch;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.s3logroutes.config.ConfigException;
import io.s3logroutes.keys.KeyPattern;
import io.s3logroutes.keys.Template;

/**
 * The output file name of {@code s3logs.fetch.output-file}. Tokens in braces: {@code {server}} (the key segment
 * before the {@code yyyy-MM-dd/HH.mm.ss-} part, else the first segment of the key) and any
 * {@code DateTimeFormatter} pattern such as {@code {yyyy-MM-dd}}, formatted from the time encoded in the key (else
 * the object's LastModified) in the zone the keys are written in ({@code s3logs.fetch.key-time-zone}, UTC by
 * default), so that a date in the file name is the date in the key. A pure class.
 */
public final class OutputPath {

    private static final Pattern SERVER = Pattern.compile("(?:^|/)([^/]+)/\\d{4}-\\d{2}-\\d{2}/\\d{2}\\.\\d{2}\\.\\d{2}-");

    private final Template template;
    private final ZoneId zone;

    private OutputPath(Template template, ZoneId zone) {
        this.template = template;
        this.zone = zone;
    }

    /** @throws ConfigException naming {@code setting} when a brace is unbalanced or a token is unknown */
    public static OutputPath parse(String setting, String template) {
        return parse(setting, template, ZoneOffset.UTC);
    }

    /**
     * @param zone the time zone of the keys' times and of the template's date patterns
     * @throws ConfigException as {@link #parse(String, String)}
     */
    public static OutputPath parse(String setting, String template, ZoneId zone) {
        if (template.isBlank()) {
            throw new ConfigException(setting + " must not be empty");
        }
        return new OutputPath(Template.parse(setting, template, List.of("server"), zone), zone);
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
        return Path.of(template.render(time, name -> server(key))).normalize();
    }

    /** The output file of an object, or null when its key gives none ({@link #problem}). */
    public Path fileOf(ListedObject o) {
        try {
            return resolve(o.key(), o.time(zone));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Why an object has no output file; {@code (none)} when it has one. */
    public String problem(ListedObject o) {
        try {
            resolve(o.key(), o.time(zone));
            return "(none)";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static String server(String key) {
        String server = serverOf(key);
        if (KeyPattern.problem(server) != null || server.contains("\\")) {
            throw new IllegalArgumentException("the server part '" + server + "' of the key cannot be part"
                    + " of a file name");
        }
        return server;
    }

    @Override
    public String toString() {
        return template.toString();
    }
}
