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
        assertThat(Increment.of("m")).isEqualTo(Increment.MONTH);
        assertThat(Increment.of("Y")).isEqualTo(Increment.YEAR);
        assertThatThrownBy(() -> Increment.of("y")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("s3logs.collapse.increment must be Y (year), m (month), d (day)");
        assertThatThrownBy(() -> Increment.of("D")).isInstanceOf(ConfigException.class);
    }

    @Test
    void monthAndYearLabelsAreTheSeedsFormatterStrings() {
        // the seed: m -> '{:%Y-%m}', Y -> '{:%Y}'
        LocalDateTime t = LocalDateTime.parse("2014-12-31T23:59:59");
        assertThat(Period.containing(Increment.MONTH, t).label()).isEqualTo("2014-12");
        assertThat(Period.containing(Increment.YEAR, t).label()).isEqualTo("2014");
        assertThat(Period.containing(Increment.MONTH, t).start()).isEqualTo(LocalDateTime.parse("2014-12-01T00:00"));
        assertThat(Period.containing(Increment.YEAR, t).start()).isEqualTo(LocalDateTime.parse("2014-01-01T00:00"));
        assertThatThrownBy(() -> new Period(Increment.MONTH, LocalDateTime.parse("2014-12-02T00:00")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void monthAndYearBoundaries() {
        Period dec = Period.containing(Increment.MONTH, LocalDateTime.parse("2014-12-15T10:00"));
        assertThat(dec.endExclusive()).isEqualTo(LocalDateTime.parse("2015-01-01T00:00"));
        assertThat(dec.next().label()).isEqualTo("2015-01");
        assertThat(dec.previous().label()).isEqualTo("2014-11");
        // February of a leap year ends on the 29th, of other years on the 28th
        assertThat(Period.containing(Increment.MONTH, LocalDateTime.parse("2016-02-29T23:59")).endExclusive())
                .isEqualTo(LocalDateTime.parse("2016-03-01T00:00"));
        assertThat(Period.containing(Increment.MONTH, LocalDateTime.parse("2015-02-28T23:59")).next().label())
                .isEqualTo("2015-03");
        // the last second of a month is in it, the first of the next is not
        assertThat(Period.containing(Increment.MONTH, LocalDateTime.parse("2015-01-01T00:00")).label()).isEqualTo("2015-01");
        Period y = Period.containing(Increment.YEAR, LocalDateTime.parse("2016-12-31T23:59:59"));
        assertThat(y.endInstant()).isEqualTo(Instant.parse("2017-01-01T00:00:00Z"));
        assertThat(y.previous().label()).isEqualTo("2015");
    }

    @Test
    void monthlyAndYearlyDefaultsTakeTheEndedPeriodOnceItIsRipe() {
        Duration grace = Duration.ofHours(1);
        Duration lookback = Duration.ofDays(3);
        // the daily 00:30 run: on the 1st the month ended only 30 minutes ago; on the 2nd and 3rd it is collapsed
        assertThat(Periods.defaults(Increment.MONTH, Instant.parse("2015-01-01T00:30:00Z"), grace, lookback)).isEmpty();
        assertThat(Periods.defaults(Increment.MONTH, Instant.parse("2015-01-02T00:30:00Z"), grace, lookback))
                .extracting(Period::label).containsExactly("2014-12");
        assertThat(Periods.defaults(Increment.MONTH, Instant.parse("2015-03-03T00:30:00Z"), grace, lookback))
                .extracting(Period::label).containsExactly("2015-02");
        assertThat(Periods.defaults(Increment.MONTH, Instant.parse("2015-01-04T00:30:00Z"), grace, lookback)).isEmpty();
        assertThat(Periods.defaults(Increment.YEAR, Instant.parse("2015-01-02T00:30:00Z"), grace, lookback))
                .extracting(Period::label).containsExactly("2014");
        assertThat(Periods.defaults(Increment.YEAR, Instant.parse("2015-06-02T00:30:00Z"), grace, lookback)).isEmpty();
    }

    @Test
    void lastRipeIsThePeriodBeforeTheOneHoldingNowMinusGrace() {
        Duration grace = Duration.ofHours(1);
        assertThat(Periods.lastRipe(Increment.DAY, Instant.parse("2015-01-05T00:30:00Z"), grace).label()).isEqualTo("2015-01-03");
        assertThat(Periods.lastRipe(Increment.DAY, Instant.parse("2015-01-05T01:00:00Z"), grace).label()).isEqualTo("2015-01-04");
        assertThat(Periods.lastRipe(Increment.HOUR, Instant.parse("2015-01-05T12:00:00Z"), grace).label()).isEqualTo("2015-01-05-10");
        assertThat(Periods.lastRipe(Increment.MONTH, Instant.parse("2015-01-15T00:00:00Z"), grace).label()).isEqualTo("2014-12");
        assertThat(Periods.lastRipe(Increment.MONTH, Instant.parse("2015-01-01T00:30:00Z"), grace).label()).isEqualTo("2014-11");
        assertThat(Periods.lastRipe(Increment.YEAR, Instant.parse("2015-06-01T00:00:00Z"), grace).label()).isEqualTo("2014");
        for (Increment inc : Increment.values()) {
            Instant now = Instant.parse("2016-03-01T00:20:00Z");
            Period p = Periods.lastRipe(inc, now, grace);
            assertThat(Periods.ripe(p, now, grace)).as("%s is ripe", p).isTrue();
            assertThat(Periods.ripe(p.next(), now, grace)).as("%s is not", p.next()).isFalse();
        }
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
        assertThat(Periods.range(Increment.MONTH, Periods.parseArg("--from", "2014-11"), Periods.parseArg("--to", "2015-02")))
                .extracting(Period::label).containsExactly("2014-11", "2014-12", "2015-01", "2015-02");
        assertThat(Periods.range(Increment.MONTH, Periods.parseArg("--from", "2014-12-31"), Periods.parseArg("--to", "2015-01-01")))
                .extracting(Period::label).containsExactly("2014-12", "2015-01");
        assertThat(Periods.range(Increment.YEAR, Periods.parseArg("--from", "2013"), Periods.parseArg("--to", "2014-06")))
                .extracting(Period::label).containsExactly("2013", "2014");
    }

    @Test
    void argumentsAreValidated() {
        assertThat(Periods.parseArg("--from", "2014-12-31T07:05")).isEqualTo(LocalDateTime.parse("2014-12-31T07:05"));
        assertThat(Periods.parseArg("--from", "2014-12")).isEqualTo(LocalDateTime.parse("2014-12-01T00:00"));
        assertThat(Periods.parseArg("--from", "2014")).isEqualTo(LocalDateTime.parse("2014-01-01T00:00"));
        assertThatThrownBy(() -> Periods.parseArg("--to", "2014-13")).hasMessage("--to is not a valid date/time: '2014-13'");
        assertThatThrownBy(() -> Periods.parseArg("--to", "14-12")).hasMessageContaining("YYYY-MM or YYYY, got '14-12'");
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
