package io.s3logroutes.keys;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import io.s3logroutes.config.ConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key times in UTC and in the local time of a zone, daylight saving changes included. */
class KeyTimesTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void keysAreUtcUnlessAZoneIsGiven() {
        String key = "S/2018-05-17/13.45.07-1";
        assertThat(KeyTimes.timeOf(key)).contains(Instant.parse("2018-05-17T13:45:07Z"));
        assertThat(KeyTimes.timeOf(key, ZoneId.of("Asia/Kolkata"))).contains(Instant.parse("2018-05-17T08:15:07Z"));
        assertThat(KeyTimes.timeOf(key, BERLIN)).contains(Instant.parse("2018-05-17T11:45:07Z"));
        assertThat(KeyTimes.timeOf("S/2018-05-17/25.00.00-1", BERLIN)).isEmpty();
        assertThat(KeyTimes.timeOf("other/key.log", BERLIN)).isEmpty();
    }

    @Test
    void aRepeatedLocalTimeIsTheLaterOfItsTwoInstants() {
        // 2018-10-28 in Berlin: 03:00 CEST becomes 02:00 CET at 01:00Z, so 02:00-02:59 occurs twice
        assertThat(KeyTimes.timeOf("S/2018-10-28/02.30.00-1", BERLIN)).contains(Instant.parse("2018-10-28T01:30:00Z"));
        assertThat(KeyTimes.timeOf("S/2018-10-28/01.59.59-1", BERLIN)).contains(Instant.parse("2018-10-27T23:59:59Z"));
        assertThat(KeyTimes.timeOf("S/2018-10-28/03.00.00-1", BERLIN)).contains(Instant.parse("2018-10-28T02:00:00Z"));
    }

    @Test
    void aSkippedLocalTimeIsTheInstantOfTheChange() {
        // 2018-03-25 in Berlin: 02:00 CET becomes 03:00 CEST at 01:00Z, so 02:00-02:59 never occurs
        assertThat(KeyTimes.timeOf("S/2018-03-25/02.30.00-1", BERLIN)).contains(Instant.parse("2018-03-25T01:00:00Z"));
        assertThat(KeyTimes.timeOf("S/2018-03-25/01.59.59-1", BERLIN)).contains(Instant.parse("2018-03-25T00:59:59Z"));
        assertThat(KeyTimes.timeOf("S/2018-03-25/03.00.00-1", BERLIN)).contains(Instant.parse("2018-03-25T01:00:00Z"));
    }

    @Test
    void keyTimesNeverGoBackAsLocalTimesGoOnAndAreNeverBeforeTheirWriting() {
        for (String day : new String[] {"2018-03-25", "2018-10-28"}) {
            LocalDateTime local = LocalDateTime.parse(day + "T00:00:00");
            Instant previous = Instant.MIN;
            for (int s = 0; s < 24 * 3600; s += 7) {
                Instant t = KeyTimes.instant(local.plusSeconds(s), BERLIN);
                assertThat(t).as(local.plusSeconds(s).toString()).isAfterOrEqualTo(previous);
                previous = t;
            }
        }
        // a writer writes the local time of the moment it writes; the key's time is never before that moment
        Instant start = Instant.parse("2018-10-27T22:00:00Z");
        for (int s = 0; s < 6 * 3600; s += 13) {
            Instant written = start.plusSeconds(s);
            LocalDateTime local = LocalDateTime.ofInstant(written, BERLIN);
            Instant t = KeyTimes.instant(local, BERLIN);
            assertThat(t).isAfterOrEqualTo(written).isBeforeOrEqualTo(written.plusSeconds(3600));
        }
    }

    @Test
    void zoneSettingsAreRegionsUtcOrOffsetsAndAnythingElseIsNamed() {
        assertThat(KeyTimes.zone("k", "UTC")).isEqualTo(ZoneId.of("UTC"));
        assertThat(KeyTimes.zone("k", " Europe/Berlin ")).isEqualTo(BERLIN);
        assertThat(KeyTimes.zone("k", "+05:30")).isEqualTo(ZoneOffset.ofHoursMinutes(5, 30));
        assertThatThrownBy(() -> KeyTimes.zone("s3logs.ship.key-time-zone", "Mars/Olympus"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("s3logs.ship.key-time-zone").hasMessageContaining("'Mars/Olympus'");
    }

    @Test
    void zonesWhoseClocksGoBackAreKnown() {
        Instant now = Instant.parse("2026-01-10T00:00:00Z");
        Map<String, Boolean> zones = Map.of("Europe/Berlin", true, "America/New_York", true, "UTC", false,
                "+01:00", false, "Asia/Kolkata", false);
        zones.forEach((zone, repeats) -> assertThat(KeyTimes.repeatsTimesAfter(ZoneId.of(zone), now))
                .as(zone).isEqualTo(repeats));
    }
}
