package io.s3logroutes.collapse;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Which periods a run works on. Pure: the clock is a parameter. */
public final class Periods {

    private static final Pattern ARG =
            Pattern.compile("(\\d{4})(?:-(\\d{2})(?:-(\\d{2})(?:T(\\d{2})(?::(\\d{2}))?)?)?)?");

    private Periods() {
    }

    /** Whether a period has ended at least {@code grace} before {@code now} (the current period never has). */
    public static boolean ripe(Period p, Instant now, Duration grace) {
        return !p.endInstant().plus(grace).isAfter(now);
    }

    /**
     * The periods of a scheduled run: every period that starts within {@code lookback} before {@code now} and ended
     * at least {@code grace} ago, oldest first.
     */
    public static List<Period> defaults(Increment inc, Instant now, Duration grace, Duration lookback) {
        LocalDateTime nowUtc = LocalDateTime.ofInstant(now, ZoneOffset.UTC);
        Period p = Period.containing(inc, LocalDateTime.ofInstant(now.minus(lookback), ZoneOffset.UTC));
        List<Period> out = new ArrayList<>();
        while (!p.start().isAfter(nowUtc)) {
            if (ripe(p, now, grace)) {
                out.add(p);
            }
            p = p.next();
        }
        return out;
    }

    /** The periods from {@code from} to {@code to}, both inclusive (the backlog command's range). */
    public static List<Period> range(Increment inc, LocalDateTime from, LocalDateTime to) {
        Period first = Period.containing(inc, from);
        Period last = Period.containing(inc, to);
        if (last.compareTo(first) < 0) {
            throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        }
        List<Period> out = new ArrayList<>();
        for (Period p = first; p.compareTo(last) <= 0; p = p.next()) {
            out.add(p);
        }
        return out;
    }

    /**
     * The latest period that may be collapsed at {@code now}: the one before the period that holds {@code now - grace}
     * (that one ends after {@code now - grace}, so it is not ripe yet).
     */
    public static Period lastRipe(Increment inc, Instant now, Duration grace) {
        return Period.containing(inc, LocalDateTime.ofInstant(now.minus(grace), ZoneOffset.UTC)).previous();
    }

    /**
     * Parses {@code YYYY-MM-DD}, {@code YYYY-MM-DDTHH} or {@code YYYY-MM-DDTHH:mm} (UTC), and {@code YYYY-MM} or
     * {@code YYYY} (the start of that month or year, for the month and year increments).
     */
    public static LocalDateTime parseArg(String option, String value) {
        Matcher m = ARG.matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(option + " must be YYYY-MM-DD, YYYY-MM-DDTHH, YYYY-MM-DDTHH:mm, YYYY-MM"
                    + " or YYYY, got '" + value + "'");
        }
        try {
            int month = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
            int day = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
            LocalDateTime t = LocalDate.of(Integer.parseInt(m.group(1)), month, day).atStartOfDay();
            if (m.group(4) != null) {
                int h = Integer.parseInt(m.group(4));
                int min = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
                t = t.withHour(h).withMinute(min);
            }
            return t;
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException(option + " is not a valid date/time: '" + value + "'");
        }
    }
}
