package io.s3logroutes.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which {@code s3logs.*} keys a user set that nothing reads: the known keys are the described settings
 * ({@code settings-keys.txt}, equal to the table of docs/settings.md) and every {@code s3logs.*} placeholder of the
 * loaded routes (a user's own keys, such as a recipe's). Each unknown key comes with the nearest known key.
 *
 * <p>A described key may end in a name part, {@code s3logs.log.level.<logger>}: every key that starts with the part
 * before {@code <} and goes on after it is known ({@code s3logs.log.level.io.s3logroutes.fetch}, and as an environment
 * variable {@code S3LOGS_LOG_LEVEL_IO_S3LOGROUTES_FETCH}).
 */
public final class KeyCheck {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(s3logs\\.[A-Za-z0-9.-]+)(?::[^}]*)?}}");

    /** A key nothing reads, and the known key it most looks like. */
    public record Unknown(String key, String nearest) {
        public String message() {
            return "unknown setting " + key + (nearest == null ? "" : " (did you mean " + nearest + "?)");
        }
    }

    private KeyCheck() {
    }

    /** The described settings; a key of a family is written with its name part, {@code s3logs.log.level.<logger>}. */
    public static Set<String> described() {
        try (InputStream in = KeyCheck.class.getResourceAsStream("/io/s3logroutes/settings-keys.txt")) {
            if (in == null) {
                throw new IllegalStateException("settings-keys.txt is missing from the classpath");
            }
            Set<String> keys = new TreeSet<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String k = line.strip();
                if (!k.isEmpty() && !k.startsWith("#")) {
                    keys.add(k);
                }
            }
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read settings-keys.txt: " + e.getMessage(), e);
        }
    }

    /** The {@code s3logs.*} placeholders of a route file's text. */
    public static Set<String> placeholders(String routes) {
        Set<String> keys = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(routes);
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    /**
     * The keys of {@code given} that are not known. A key given as an environment variable ({@code S3LOGS_SHIP_GZIP})
     * is known when a known key has that form.
     */
    public static List<Unknown> unknown(Collection<String> given, Set<String> known) {
        Set<String> env = new TreeSet<>();
        known.forEach(k -> env.add(envForm(k)));
        List<String> prefixes = new ArrayList<>();
        for (String k : known) {
            String p = familyPrefix(k);
            if (p != null) {
                prefixes.add(p);
            }
        }
        List<Unknown> out = new ArrayList<>();
        for (String key : new TreeSet<>(given)) {
            boolean isEnv = key.startsWith("S3LOGS_");
            if (isEnv ? env.contains(key) : known.contains(key)) {
                continue;
            }
            if (prefixes.stream().anyMatch(p -> {
                String prefix = isEnv ? envForm(p) : p;
                return key.startsWith(prefix) && key.length() > prefix.length();
            })) {
                continue;
            }
            String nearest = null;
            int best = Integer.MAX_VALUE;
            for (String k : known) {
                int d = distance(isEnv ? envForm(k) : k, key);
                if (d < best) {
                    best = d;
                    nearest = isEnv ? envForm(k) : k;
                }
            }
            out.add(new Unknown(key, best <= Math.max(3, key.length() / 4) ? nearest : null));
        }
        return out;
    }

    /** The {@code s3logs.*} keys among properties and the {@code S3LOGS_*} names among environment variables. */
    public static Set<String> given(Map<?, ?> properties, Map<String, String> environment) {
        Set<String> keys = new TreeSet<>();
        properties.keySet().stream().map(String::valueOf).filter(k -> k.startsWith("s3logs.")).forEach(keys::add);
        environment.keySet().stream().filter(k -> k.startsWith("S3LOGS_")).forEach(keys::add);
        return keys;
    }

    /** The part before the name part of a family key ({@code s3logs.log.level.} of {@code s3logs.log.level.<logger>}). */
    public static String familyPrefix(String key) {
        int i = key.indexOf('<');
        return i > 0 && key.endsWith(">") ? key.substring(0, i) : null;
    }

    static String envForm(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
