package io.s3logroutes.keys;

import java.time.Instant;
import java.util.Map;

import io.s3logroutes.config.ConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyPatternTest {

    static final Map<String, String> VARS = Map.of("server", "SERVER01", "hostname", "web-1", "input", "ship-file");

    @Test
    void defaultPatternGivesTheNxlogLayoutWithAPaddedCounter() {
        KeyPattern p = KeyPattern.parse(KeyPattern.DEFAULT);
        assertThat(p.render(Instant.parse("2018-05-17T13:45:07.900Z"), VARS, 1))
                .isEqualTo("SERVER01/2018-05-17/13.45.07-000001");
        assertThat(p.render(Instant.parse("2018-05-17T13:45:07Z"), VARS, 123456))
                .isEqualTo("SERVER01/2018-05-17/13.45.07-123456");
    }

    @Test
    void paddedCountersSortInWriteOrder() {
        KeyPattern p = KeyPattern.parse(KeyPattern.DEFAULT);
        Instant t = Instant.parse("2018-05-17T13:45:07Z");
        assertThat(p.render(t, VARS, 2)).isLessThan(p.render(t, VARS, 10));
    }

    @Test
    void timesAreUtc() {
        KeyPattern p = KeyPattern.parse("{server}/{yyyy/MM/dd}/{HH}/{input}-{hostname}-{seq}");
        assertThat(p.render(Instant.parse("2020-12-31T23:59:59Z"), VARS, 7))
                .isEqualTo("SERVER01/2020/12/31/23/ship-file-web-1-000007");
    }

    @Test
    void unsafePatternsAreRejectedWithTheKey() {
        assertThatThrownBy(() -> KeyPattern.parse("/{server}/{seq}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("s3logs.ship.key-pattern").hasMessageContaining("leading '/'");
        assertThatThrownBy(() -> KeyPattern.parse("{server}//{seq}")).hasMessageContaining("empty segment");
        assertThatThrownBy(() -> KeyPattern.parse("{server}/../{seq}")).hasMessageContaining("'..'");
        assertThatThrownBy(() -> KeyPattern.parse("{server}/\t{seq}")).hasMessageContaining("control character");
        assertThatThrownBy(() -> KeyPattern.parse("{server}/{yyyy}")).hasMessageContaining("{seq}");
        assertThatThrownBy(() -> KeyPattern.parse("{server}/{nope}-{seq}")).hasMessageContaining("{nope}");
        assertThatThrownBy(() -> KeyPattern.parse("{server/{seq}")).hasMessageContaining("s3logs.ship.key-pattern");
        assertThatThrownBy(() -> KeyPattern.parse("{server}/{seq}/")).hasMessageContaining("trailing");
    }

    @Test
    void variableValuesAreChecked() {
        assertThatThrownBy(() -> KeyPattern.checkVariable("s3logs.ship.server", "a/b"))
                .hasMessageContaining("s3logs.ship.server");
        assertThatThrownBy(() -> KeyPattern.checkVariable("s3logs.ship.server", ".."))
                .hasMessageContaining("s3logs.ship.server");
        KeyPattern.checkVariable("s3logs.ship.server", "SERVER01");
    }

    @Test
    void keyTimesReadOurLayoutAndTheLegacyOne() {
        assertThat(KeyTimes.timeOf("SERVER01/2018-05-17/13.45.07-000001.gz"))
                .contains(Instant.parse("2018-05-17T13:45:07Z"));
        assertThat(KeyTimes.timeOf("SERVER01/2018-05-17/13.45.07-10")).contains(Instant.parse("2018-05-17T13:45:07Z"));
        assertThat(KeyTimes.timeOf("logs/2018-05-17-13-45-07-ABCDEF")).isEmpty();
        assertThat(KeyTimes.timeOf("S/2018-02-31/13.45.07-1")).isEmpty();
    }

    @Test
    void oneDigitCountersAreTheNxlogScriptsUnpaddedOnes() {
        KeyPattern p = KeyPattern.parse("s3logs.ship.key-pattern", KeyPattern.DEFAULT, java.time.ZoneOffset.UTC, 1);
        Instant t = Instant.parse("2018-05-17T13:45:07Z");
        assertThat(p.render(t, VARS, 1)).isEqualTo("SERVER01/2018-05-17/13.45.07-1");
        assertThat(p.render(t, VARS, 10)).isEqualTo("SERVER01/2018-05-17/13.45.07-10");
        assertThat(KeyPattern.parse("k", KeyPattern.DEFAULT, java.time.ZoneOffset.UTC, 3).render(t, VARS, 7))
                .isEqualTo("SERVER01/2018-05-17/13.45.07-007");
        assertThat(p.base(t, VARS)).isNotEqualTo(p.base(t.plusSeconds(1), VARS));
        assertThatThrownBy(() -> KeyPattern.parse("k", KeyPattern.DEFAULT, java.time.ZoneOffset.UTC, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void datePartsAreInThePatternsZone() {
        KeyPattern p = KeyPattern.parse("s3logs.ship.key-pattern", KeyPattern.DEFAULT,
                java.time.ZoneId.of("Asia/Kolkata"), 6);
        assertThat(p.render(Instant.parse("2020-12-31T20:00:01Z"), VARS, 1))
                .isEqualTo("SERVER01/2021-01-01/01.30.01-000001");
        // a pattern of the event stage keeps the zone and the counter digits of the configured one
        KeyPattern other = KeyPattern.parse("k", KeyPattern.DEFAULT, java.time.ZoneId.of("Asia/Kolkata"), 1)
                .other("header S3LogsKeyPattern", "urgent/{yyyy-MM-dd}/{HH}-{seq}");
        assertThat(other.render(Instant.parse("2020-12-31T20:00:01Z"), VARS, 3)).isEqualTo("urgent/2021-01-01/01-3");
        assertThatThrownBy(() -> p.other("header S3LogsKeyPattern", "urgent/{HH}"))
                .hasMessageContaining("header S3LogsKeyPattern");
    }
}
