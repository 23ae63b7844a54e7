package io.s3logroutes.keys;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time encoded in an object key of ship's layout or of the NXLog script's layout:
 * {@code .../YYYY-MM-DD/HH.MM.SS-counter} (UTC). Keys of other layouts have none.
 */
public final class KeyTimes {

    private static final Pattern TIME = Pattern.compile("(?:^|/)(\\d{4}-\\d{2}-\\d{2})/(\\d{2})\\.(\\d{2})\\.(\\d{2})-");

    private KeyTimes() {
    }

    public static Optional<Instant> timeOf(String key) {
        Matcher m = TIME.matcher(key);
        Optional<Instant> last = Optional.empty();
        while (m.find()) {
            try {
                LocalDate d = LocalDate.parse(m.group(1));
                LocalTime t = LocalTime.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                        Integer.parseInt(m.group(4)));
                last = Optional.of(d.atTime(t).toInstant(ZoneOffset.UTC));
            } catch (java.time.DateTimeException e) {
                return Optional.empty();
            }
        }
        return last;
    }
}
