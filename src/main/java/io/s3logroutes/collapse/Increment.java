package io.s3logroutes.collapse;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * How a collapse run groups objects: by year, month, day, hour or minute ({@code s3logs.collapse.increment} Y, m,
 * d, H, M: the seed's codes and period strings).
 */
public enum Increment {
    DAY("d", ChronoUnit.DAYS, "yyyy-MM-dd"),
    HOUR("H", ChronoUnit.HOURS, "yyyy-MM-dd-HH"),
    MINUTE("M", ChronoUnit.MINUTES, "yyyy-MM-dd-HH-mm"),
    MONTH("m", ChronoUnit.MONTHS, "yyyy-MM"),
    YEAR("Y", ChronoUnit.YEARS, "yyyy");

    private final String code;
    private final ChronoUnit unit;
    private final DateTimeFormatter dashed;

    Increment(String code, ChronoUnit unit, String dashed) {
        this.code = code;
        this.unit = unit;
        this.dashed = DateTimeFormatter.ofPattern(dashed);
    }

    /**
     * The setting's value ({@code Y}, {@code m}, {@code d}, {@code H}, {@code M}); case matters, as in the seed
     * ({@code m} is month, {@code M} is minute).
     */
    public static Increment of(String code) {
        for (Increment i : values()) {
            if (i.code.equals(code.trim())) {
                return i;
            }
        }
        throw new io.s3logroutes.config.ConfigException("s3logs.collapse.increment must be Y (year), m (month), d (day),"
                + " H (hour) or M (minute), got '" + code + "'");
    }

    /** The start of the period that holds {@code t}. */
    public LocalDateTime truncate(LocalDateTime t) {
        return switch (this) {
            case YEAR -> t.toLocalDate().withDayOfYear(1).atStartOfDay();
            case MONTH -> t.toLocalDate().withDayOfMonth(1).atStartOfDay();
            default -> t.truncatedTo(unit);
        };
    }

    public LocalDateTime next(LocalDateTime start) {
        return start.plus(1, unit);
    }

    public LocalDateTime previous(LocalDateTime start) {
        return start.minus(1, unit);
    }

    /** Whether a period is shorter than a day (its keys lie inside one day's folder or key prefix). */
    boolean withinDay() {
        return this == DAY || this == HOUR || this == MINUTE;
    }

    /**
     * The seed's period string, used in S3 server access log prefixes and output names: {@code 2014},
     * {@code 2014-12}, {@code 2014-12-31}, {@code 2014-12-31-23} or {@code 2014-12-31-23-59}.
     */
    String dashed(LocalDateTime start) {
        return dashed.format(start);
    }

    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return code;
    }
}
