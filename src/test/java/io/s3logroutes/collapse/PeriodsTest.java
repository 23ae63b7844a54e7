package io.s3logroutes.collapse;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;

import io.s3logroutes.config.ConfigException;
import io.s3logroutes.config.Props;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeriodsTest {

    @Test
    void labelsAreTheSeedsPeriodStrings() {
        LocalDateTime t = LocalDateTime.parse("2014-12-31T23:59:30");
        assertThat(Period.containing(Increment.DAY, t).label()).isEqualTo("2014-12-31");
        assertThat(Period.containing(Increment.HOUR, t).label()).isEqualTo("2014-12-31-23");
        assertThat(Period.containing(Increment.MINUTE, t).label()).isEqualTo("2014-12-31-23-59");
        assertThat(Period.containing(Increment.DAY, t).next().label()).isEqualTo("2015-01-01");
    }

    @Test
    void incrementCodesAreCaseSensitiveLikeTheSeed() {
        assertThat(Increment.of("d")).isEqualTo(Increment.DAY);
        assertThat(Increment.of("H")).isEqualTo(Increment.HOUR);
        assertThat(Increment.of("M")).isEqualTo(Increment.MINUTE);
        assertThatThrownBy(() -> Increment.of("m")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("s3logs.collapse.increment");
    }

    @Test
    void defaultsAreTheEndedPeriodsOfTheLookbackAndNeverTheCurrentOne() {
        Instant now = Instant.parse("2015-01-05T00:30:00Z");
        // with the default grace of 1h at 00:30, yesterday has not ended an hour ago yet
        assertThat(Periods.defaults(Increment.DAY, now, Duration.ofHours(1), Duration.ofDays(3)))
                .extracting(Period::label).containsExactly("2015-01-02", "2015-01-03");
        assertThat(Periods.defaults(Increment.DAY, Instant.parse("2015-01-05T01:00:00Z"), Duration.ofHours(1), Duration.ofDays(1)))
                .extracting(Period::label).containsExactly("2015-01-04");
        assertThat(Periods.defaults(Increment.HOUR, now, Duration.ZERO, Duration.ofHours(2)))
                .extracting(Period::label).containsExactly("2015-01-04-22", "2015-01-04-23");
        assertThat(Periods.defaults(Increment.MINUTE, Instant.parse("2015-01-05T00:30:59Z"), Duration.ZERO, Duration.ofMinutes(1)))
                .extracting(Period::label).containsExactly("2015-01-05-00-29");
    }

    @Test
    void rangeIsInclusiveAtBothEnds() {
        assertThat(Periods.range(Increment.DAY, Periods.parseArg("--from", "2014-12-30"), Periods.parseArg("--to", "2015-01-01")))
                .extracting(Period::label).containsExactly("2014-12-30", "2014-12-31", "2015-01-01");
        assertThat(Periods.range(Increment.HOUR, Periods.parseArg("--from", "2014-12-31T22"), Periods.parseArg("--to", "2014-12-31T23:15")))
                .extracting(Period::label).containsExactly("2014-12-31-22", "2014-12-31-23");
        assertThatThrownBy(() -> Periods.range(Increment.DAY, LocalDateTime.parse("2015-01-02T00:00"),
                LocalDateTime.parse("2015-01-01T00:00"))).hasMessageContaining("is before --from");
    }

    @Test
    void argumentsAreValidated() {
        assertThat(Periods.parseArg("--from", "2014-12-31T07:05")).isEqualTo(LocalDateTime.parse("2014-12-31T07:05"));
        assertThatThrownBy(() -> Periods.parseArg("--to", "2014-13-01")).hasMessage("--to is not a valid date/time: '2014-13-01'");
        assertThatThrownBy(() -> Periods.parseArg("--to", "yesterday")).hasMessageContaining("--to must be YYYY-MM-DD");
    }

    @Test
    void ripeMeansEndedAtLeastGraceAgo() {
        Period p = new Period(Increment.HOUR, LocalDateTime.parse("2015-01-05T10:00"));
        assertThat(Periods.ripe(p, Instant.parse("2015-01-05T11:59:59Z"), Duration.ofHours(1))).isFalse();
        assertThat(Periods.ripe(p, Instant.parse("2015-01-05T12:00:00Z"), Duration.ofHours(1))).isTrue();
    }

    @Test
    void lookbackInDaysIsAValidDuration() {
        assertThat(Props.parseDuration("s3logs.collapse.lookback", "3d")).isEqualTo(Duration.ofDays(3));
    }
}
