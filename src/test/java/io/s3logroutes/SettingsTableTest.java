package io.s3logroutes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/settings.md's settings table names every {@code s3logs.*} key that application.properties or the code reads.
 */
class SettingsTableTest {

    /** A key read through {@code Props}: {@code props.string("s3logs.x", ...)} and the like. */
    static final Pattern KEY = Pattern.compile(
            "\\b(?:string|bool|integer|duration|size|list|choice|raw|required)\\(\\s*\"(s3logs\\.[a-z0-9.-]+)\"");
    static final Pattern ROW = Pattern.compile("(?m)^\\| `(s3logs\\.[a-z0-9.-]+)`");

    @Test
    void everyKeyHasARow() throws IOException {
        String doc = Files.readString(Path.of("docs/settings.md"));
        Set<String> rows = new TreeSet<>();
        Matcher r = ROW.matcher(doc);
        while (r.find()) {
            rows.add(r.group(1));
        }
        // rows that name several keys: | `a`, `b` |
        Matcher multi = Pattern.compile("(?m)^\\| (`s3logs\\.[^|]+)\\|").matcher(doc);
        while (multi.find()) {
            Matcher k = Pattern.compile("`(s3logs\\.[a-z0-9.-]+)`").matcher(multi.group(1));
            while (k.find()) {
                rows.add(k.group(1));
            }
        }
        Set<String> used = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("application.properties"))) {
            Matcher m = Pattern.compile("^(s3logs\\.[a-z0-9.-]+)\\s*=").matcher(line);
            if (m.find()) {
                used.add(m.group(1));
            }
        }
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = KEY.matcher(Files.readString(f));
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertThat(used).as("keys found in application.properties and the code").hasSizeGreaterThan(80);
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(rows);
        assertThat(missing).as("keys without a row in docs/settings.md's settings table").isEmpty();
    }
}
