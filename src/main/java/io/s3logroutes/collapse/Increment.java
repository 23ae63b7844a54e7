package io.s3logroutes.collapse;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** How a collapse run groups objects: by day, hour or minute ({@code s3logs.collapse.increment} d, H, M). */
public enum Increment {
    DAY("d", ChronoUnit.DAYS, "yyyy-MM-dd"),
    HOUR("H", ChronoUnit.HOURS, "yyyy-MM-dd-HH"),
    MINUTE("M", ChronoUnit.MINUTES, "yyyy-MM-dd-HH-mm");

    private final String code;
    private final ChronoUnit unit;
    private final DateTimeFormatter dashed;

    Increment(String code, ChronoUnit unit, String dashed) {
        this.code = code;
        this.unit = unit;
        this.dashed = DateTimeFormatter.ofPattern(dashed);
    }

    /** The setting's value ({@code d}, {@code H}, {@code M}); case matters, as in the seed ({@code M} is minute). */
    public static Increment of(String code) {
        for (Increment i : values()) {
            if (i.code.equals(code.trim())) {
                return i;
            }
        }
        throw new io.s3logroutes.config.ConfigException(
                "s3logs.collapse.increment must be d (day), H (hour) or M (minute), got '" + code + "'");
    }

    public LocalDateTime truncate(LocalDateTime t) {
        return t.truncatedTo(unit);
    }

    public LocalDateTime next(LocalDateTime start) {
        return start.plus(1, unit);
    }

    /** The S3 server access log period string: {@code 2014-12-31}, {@code 2014-12-31-23}, {@code 2014-12-31-23-59}. */
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
