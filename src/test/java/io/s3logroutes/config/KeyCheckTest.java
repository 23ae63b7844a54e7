package io.s3logroutes.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class KeyCheckTest {

    @Test
    void theDescribedKeysAreTheRowsOfTheSettingsTable() throws Exception {
        String doc = Files.readString(Path.of("docs/settings.md"));
        Set<String> rows = new TreeSet<>();
        Matcher multi = Pattern.compile("(?m)^\\| (`s3logs\\.[^|]+)\\|").matcher(doc);
        while (multi.find()) {
            Matcher k = Pattern.compile("`(s3logs\\.[a-z0-9.-]+(?:<[a-z]+>)?)`").matcher(multi.group(1));
            while (k.find()) {
                rows.add(k.group(1));
            }
        }
        assertThat(KeyCheck.described()).isEqualTo(rows).contains("s3logs.ship.batch.max-events",
                "s3logs.log.level.<logger>");
    }

    @Test
    void aFamilyKeyMakesEveryKeyWithItsPrefixKnown() {
        Set<String> known = KeyCheck.described();
        List<KeyCheck.Unknown> u = KeyCheck.unknown(List.of("s3logs.log.level.io.s3logroutes.fetch",
                "s3logs.log.level.org.apache.camel.main", "S3LOGS_LOG_LEVEL_IO_S3LOGROUTES_FETCH", "s3logs.log.level",
                "S3LOGS_LOG_FORMAT", "s3logs.log.level.", "S3LOGS_LOG_LEVEL_", "s3logs.log.levels.fetch",
                "s3logs.log.level<logger>"), known);
        assertThat(u).extracting(KeyCheck.Unknown::key).containsExactly("S3LOGS_LOG_LEVEL_", "s3logs.log.level.",
                "s3logs.log.level<logger>", "s3logs.log.levels.fetch");
        assertThat(KeyCheck.familyPrefix("s3logs.log.level.<logger>")).isEqualTo("s3logs.log.level.");
        assertThat(KeyCheck.familyPrefix("s3logs.log.level")).isNull();
    }

    @Test
    void aMisspeltKeyNamesTheNearestKnownKey() {
        Set<String> known = KeyCheck.described();
        List<KeyCheck.Unknown> u = KeyCheck.unknown(List.of("s3logs.ship.batch.max-event", "s3logs.shipp.enabled",
                "s3logs.ship.gzip", "S3LOGS_SHIP_GZIP", "S3LOGS_SHIP_GZIPP", "s3logs.totally-different-thing"), known);
        assertThat(u).extracting(KeyCheck.Unknown::key).containsExactly("S3LOGS_SHIP_GZIPP",
                "s3logs.ship.batch.max-event", "s3logs.shipp.enabled", "s3logs.totally-different-thing");
        assertThat(u.get(0).nearest()).isEqualTo("S3LOGS_SHIP_GZIP");
        assertThat(u.get(1).message())
                .isEqualTo("unknown setting s3logs.ship.batch.max-event (did you mean s3logs.ship.batch.max-events?)");
        assertThat(u.get(2).nearest()).isEqualTo("s3logs.ship.enabled");
        assertThat(u.get(3).nearest()).isNull();
    }

    @Test
    void theRoutesPlaceholdersAreKnownKeysToo() {
        String yaml = "constant: \"{{s3logs.recipe.env:prod}}\"\n uri: file:{{s3logs.ship.input-dir}}\n {{other.key}}";
        assertThat(KeyCheck.placeholders(yaml)).containsExactly("s3logs.recipe.env", "s3logs.ship.input-dir");
        assertThat(KeyCheck.given(Map.of("s3logs.a", "1", "camel.x", "2"), Map.of("S3LOGS_B", "1", "PATH", "/")))
                .containsExactly("S3LOGS_B", "s3logs.a");
    }
}
