package io.s3logroutes.collapse;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** One period of log time (UTC): a year, a month, a day, an hour or a minute. */
public record Period(Increment increment, LocalDateTime start) implements Comparable<Period> {

    public Period {
        if (!increment.truncate(start).equals(start)) {
            throw new IllegalArgumentException(start + " is not the start of a period of " + increment);
        }
    }

    public static Period containing(Increment increment, LocalDateTime t) {
        return new Period(increment, increment.truncate(t));
    }

    public LocalDateTime endExclusive() {
        return increment.next(start);
    }

    public Instant endInstant() {
        return endExclusive().toInstant(ZoneOffset.UTC);
    }

    public Period next() {
        return new Period(increment, endExclusive());
    }

    public Period previous() {
        return new Period(increment, increment.previous(start));
    }

    /** {@code 2014}, {@code 2014-12}, {@code 2014-12-31}, {@code 2014-12-31-23} or {@code 2014-12-31-23-59}. */
    public String label() {
        return increment.dashed(start);
    }

    @Override
    public int compareTo(Period o) {
        return start.compareTo(o.start);
    }

    @Override
    public String toString() {
        return label();
    }
}
