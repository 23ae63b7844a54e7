package io.s3logroutes.logging;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import io.s3logroutes.config.StartupException;

/**
 * The logging settings of the runnable jar: {@code s3logs.log.format} ({@code text} or {@code json}),
 * {@code s3logs.log.level} (the root level) and {@code s3logs.log.level.<logger>} (the level of one logger and the
 * loggers under it). Logging starts before Camel reads its properties, so these keys are read here from the same
 * sources, in the same order of precedence: {@code -D}, the environment ({@code S3LOGS_LOG_FORMAT},
 * {@code S3LOGS_LOG_LEVEL}, {@code S3LOGS_LOG_LEVEL_IO_S3LOGROUTES_FETCH}), {@code application.properties} in the
 * working directory, then the packaged one.
 *
 * @param levels logger name to level, in the order given; the root is not among them
 */
public record LogSettings(Format format, String rootLevel, Map<String, String> levels) {

    public static final String FORMAT = "s3logs.log.format";
    public static final String LEVEL = "s3logs.log.level";
    /** The prefix of the per-logger keys. */
    public static final String LEVEL_PREFIX = LEVEL + ".";

    static final String ENV_FORMAT = "S3LOGS_LOG_FORMAT";
    static final String ENV_LEVEL = "S3LOGS_LOG_LEVEL";
    static final String ENV_LEVEL_PREFIX = ENV_LEVEL + "_";

    /** The levels a key may name (any case). */
    public static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    /**
     * Camel's and the libraries' loggers that are noisy at INFO: WARN unless a {@code s3logs.log.level.<logger>} key
     * says otherwise.
     */
    public static final Map<String, String> QUIET = quiet();

    public enum Format {
        TEXT, JSON
    }

    public LogSettings {
        levels = Collections.unmodifiableMap(new LinkedHashMap<>(levels));
    }

    /** Text at INFO, the quiet loggers at WARN: what applies when no key is set. */
    public static LogSettings defaults() {
        return of(Map.of());
    }

    /**
     * The settings of the keys of {@code keys} ({@code s3logs.log.*}; other keys are ignored).
     *
     * @throws StartupException a bad format or level, in one line that names the key
     */
    public static LogSettings of(Map<String, String> keys) {
        String f = keys.getOrDefault(FORMAT, "text").strip().toLowerCase(Locale.ROOT);
        Format format = switch (f) {
            case "text", "" -> Format.TEXT;
            case "json" -> Format.JSON;
            default -> throw new StartupException(FORMAT + " must be text or json, not '" + keys.get(FORMAT) + "'");
        };
        String root = level(LEVEL, keys.getOrDefault(LEVEL, "INFO"));
        Map<String, String> levels = new LinkedHashMap<>(QUIET);
        new TreeMap<>(keys).forEach((k, v) -> {
            if (k.startsWith(LEVEL_PREFIX)) {
                String logger = k.substring(LEVEL_PREFIX.length());
                if (logger.isEmpty()) {
                    throw new StartupException(k + " names no logger (s3logs.log.level.io.s3logroutes.fetch=DEBUG)");
                }
                levels.put(logger, level(k, v));
            }
        });
        return new LogSettings(format, root, levels);
    }

    static String level(String key, String value) {
        String v = value.strip().toUpperCase(Locale.ROOT);
        if (v.equals("WARNING")) {
            v = "WARN";
        }
        if (!LEVELS.contains(v)) {
            throw new StartupException(key + " must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, not '" + value + "'");
        }
        return v;
    }

    /**
     * The {@code s3logs.log.*} keys of the sources, the first source that has a key winning: the system properties,
     * the environment, the file {@code application.properties} of the working directory, the packaged one.
     */
    public static Map<String, String> keys(Properties system, Map<String, String> env, Path file, ClassLoader loader) {
        List<Map<String, String>> sources = new ArrayList<>();
        sources.add(logKeys(system));
        sources.add(fromEnv(env));
        sources.add(logKeys(readFile(file)));
        sources.add(logKeys(readResource(loader, "application.properties")));
        Map<String, String> keys = new LinkedHashMap<>();
        for (Map<String, String> s : sources) {
            s.forEach(keys::putIfAbsent);
        }
        return keys;
    }

    /**
     * The settings the runnable jar starts with: this JVM's properties and environment, and the settings file the
     * application reads ({@code s3logs.config-file}, else the working directory's application.properties).
     */
    public static LogSettings current() {
        String file = System.getProperty(io.s3logroutes.S3LogRoutesMain.CONFIG_FILE, "");
        return of(keys(System.getProperties(), System.getenv(),
                Path.of(file.isBlank() ? "application.properties" : file), LogSettings.class.getClassLoader()));
    }

    /**
     * The keys of environment variables: {@code S3LOGS_LOG_FORMAT}, {@code S3LOGS_LOG_LEVEL}, and
     * {@code S3LOGS_LOG_LEVEL_<LOGGER>} with the logger name in upper case and {@code _} for {@code .}
     * ({@code S3LOGS_LOG_LEVEL_IO_S3LOGROUTES_FETCH}): so only names of letters, digits and dots can be given this way.
     */
    static Map<String, String> fromEnv(Map<String, String> env) {
        Map<String, String> keys = new TreeMap<>();
        env.forEach((k, v) -> {
            if (k.equals(ENV_FORMAT)) {
                keys.put(FORMAT, v);
            } else if (k.equals(ENV_LEVEL)) {
                keys.put(LEVEL, v);
            } else if (k.startsWith(ENV_LEVEL_PREFIX) && k.length() > ENV_LEVEL_PREFIX.length()) {
                keys.put(LEVEL_PREFIX + k.substring(ENV_LEVEL_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'),
                        v);
            }
        });
        return keys;
    }

    static Map<String, String> logKeys(Properties p) {
        Map<String, String> keys = new TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            if (k.equals(FORMAT) || k.equals(LEVEL) || k.startsWith(LEVEL_PREFIX)) {
                keys.put(k, p.getProperty(k));
            }
        }
        return keys;
    }

    static Properties readFile(Path file) {
        Properties p = new Properties();
        if (file != null && Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw new StartupException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
            }
        }
        return p;
    }

    static Properties readResource(ClassLoader loader, String name) {
        Properties p = new Properties();
        try (InputStream in = loader == null ? null : loader.getResourceAsStream(name)) {
            if (in != null) {
                p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new StartupException("cannot read the packaged " + name + ": " + e.getMessage(), e);
        }
        return p;
    }

    private static Map<String, String> quiet() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String logger : List.of("org.apache.camel.impl.engine", "org.apache.camel.main",
                "org.apache.camel.component.aws2", "software.amazon.awssdk", "org.apache.http", "io.netty", "org.quartz",
                "org.apache.camel.component.quartz")) {
            m.put(logger, "WARN");
        }
        return Collections.unmodifiableMap(m);
    }
}
