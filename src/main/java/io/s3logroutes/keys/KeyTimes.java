package io.s3logroutes.keys;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.s3logroutes.config.ConfigException;

/**
 * The time encoded in an object key of ship's layout or of the NXLog script's layout:
 * {@code .../YYYY-MM-DD/HH.MM.SS-counter}, in UTC or in the zone the writer wrote its keys in
 * ({@code s3logs.ship.key-time-zone}, {@code s3logs.fetch.key-time-zone}). Keys of other layouts have none.
 *
 * <p>In a zone with daylight saving time a local time can occur twice (the hour after the clocks go back) or never
 * (the hour they skip). A repeated time is read as the <em>later</em> of its two instants and a skipped one as the
 * instant of the change, so that the time of a key never decreases as its local time increases, and is never
 * earlier than the moment its writer wrote it. Fetch's settle rule therefore holds back the keys of a repeated hour
 * until both passes through that hour are settled, and skips none of them.
 */
public final class KeyTimes {

    private static final Pattern TIME = Pattern.compile("(?:^|/)(\\d{4}-\\d{2}-\\d{2})/(\\d{2})\\.(\\d{2})\\.(\\d{2})-");

    private KeyTimes() {
    }

    /** The time of a key written in UTC. */
    public static Optional<Instant> timeOf(String key) {
        return timeOf(key, ZoneOffset.UTC);
    }

    /** The time of a key whose date and time are local times of {@code zone} (see the class comment). */
    public static Optional<Instant> timeOf(String key, ZoneId zone) {
        Matcher m = TIME.matcher(key);
        Optional<Instant> last = Optional.empty();
        while (m.find()) {
            try {
                LocalDate d = LocalDate.parse(m.group(1));
                LocalTime t = LocalTime.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                        Integer.parseInt(m.group(4)));
                last = Optional.of(instant(d.atTime(t), zone));
            } catch (DateTimeException e) {
                return Optional.empty();
            }
        }
        return last;
    }

    /**
     * The instant of a local time of {@code zone}: the later one where the time occurs twice, the instant of the
     * change where it does not occur.
     */
    public static Instant instant(LocalDateTime local, ZoneId zone) {
        ZoneOffsetTransition change = zone.getRules().getTransition(local);
        if (change == null) {
            return local.toInstant(zone.getRules().getOffset(local));
        }
        return change.isGap() ? change.getInstant() : local.toInstant(change.getOffsetAfter());
    }

    /**
     * A time zone setting: a region ({@code Europe/Berlin}), {@code UTC}, or an offset ({@code +05:30}).
     *
     * @throws ConfigException naming {@code setting} when {@code value} is none of these
     */
    public static ZoneId zone(String setting, String value) {
        try {
            return ZoneId.of(value.trim());
        } catch (DateTimeException e) {
            throw new ConfigException(setting + " must be a time zone such as UTC, Europe/Berlin or +05:30, got '"
                    + value + "'");
        }
    }

    /** Whether the clocks of {@code zone} are known to go back after {@code from}, so that local times repeat. */
    public static boolean repeatsTimesAfter(ZoneId zone, Instant from) {
        ZoneOffsetTransition next = zone.getRules().nextTransition(from);
        // a daylight saving zone goes forward and back once a year each: two changes ahead show it
        for (int i = 0; i < 4 && next != null; i++) {
            if (next.isOverlap()) {
                return true;
            }
            next = zone.getRules().nextTransition(next.getInstant());
        }
        return false;
    }
}
