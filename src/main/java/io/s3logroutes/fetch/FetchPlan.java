package io.s3logroutes.fetch;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.s3logroutes.keys.KeyTimes;

/**
 * Which listed objects one batch reads, in which order, and after which of them the checkpoint may move. A pure
 * class: no I/O, the clock is a parameter.
 *
 * <p>The listing comes in key order after the checkpoint. Keys that end in a counter ({@code ...-7},
 * {@code ...-000007.gz}) and share everything before it form a group (one second of one writer); a group is read
 * in counter order, so NXLog's unpadded {@code -2} comes before {@code -10} although it sorts after it. The
 * checkpoint (a key given to ListObjectsV2 as {@code StartAfter}) may only move to a key when the keys up to it in
 * key order are exactly the keys written so far, so it is set after an object only when the objects written so far
 * are exactly the first ones of the listing in key order. With padded counters that is after every object; with unpadded ones it is
 * inside the group only where both orders agree, and always at its end.
 *
 * <p>Late keys are never skipped: the batch ends before the first group whose time (the time in the key, else
 * LastModified) is less than {@code settle} old. Both are whole seconds, and an object named or stamped with a
 * second was written at some instant inside it, so a time counts from the end of its second. Provided every writer
 * makes an object visible within {@code settle} of writing it (naming its key), and key order is time order under
 * the prefix (one writer per prefix, as with {@code SERVER01/}), every key that can still appear sorts after the
 * first too-young key, so stopping there (not skipping past it) means no object appears behind the checkpoint.
 */
public final class FetchPlan {

    private static final Pattern COUNTER = Pattern.compile("^(.*-)(\\d+)([^/]*)$");

    /** One object to read; {@code commitKey} is the key to checkpoint after it, or {@code null}. */
    public record Step(ListedObject object, String commitKey, int group) {
    }

    /**
     * @param steps        what to read, in order
     * @param waiting      the first too-young key the batch stopped at, or {@code null}
     * @param complete     the listing was complete (not truncated) and the batch covers all of it
     */
    public record Plan(List<Step> steps, String waiting, boolean complete) {
    }

    private FetchPlan() {
    }

    /**
     * @param listed    one or more consecutive pages in key order
     * @param truncated more keys follow the last one listed; its group may be incomplete, so it is left for the
     *                  next batch
     */
    public static Plan plan(List<ListedObject> listed, boolean truncated, Instant now, Duration settle) {
        return plan(listed, truncated, now, settle, ZoneOffset.UTC);
    }

    /**
     * @param zone the time zone of the times in the keys ({@code s3logs.fetch.key-time-zone}); a time that occurs
     *             twice there is taken as the later one ({@link KeyTimes}), so the keys of the hour after the clocks
     *             go back wait until that hour has passed twice
     */
    public static Plan plan(List<ListedObject> listed, boolean truncated, Instant now, Duration settle, ZoneId zone) {
        List<List<ListedObject>> groups = groups(listed);
        String waiting = null;
        // young: the end of its second (time + 1 s) is less than settle ago
        Instant cutoff = now.minus(settle).minusSeconds(1);
        int ready = 0;
        for (List<ListedObject> g : groups) {
            ListedObject young = g.stream().filter(o -> o.time(zone).isAfter(cutoff)).findFirst().orElse(null);
            if (young != null) {
                waiting = young.key();
                break;
            }
            ready++;
        }
        boolean complete = waiting == null && !truncated;
        if (waiting == null && truncated && ready > 0) {
            ready--;
        }
        List<Step> steps = new ArrayList<>();
        Set<String> written = new HashSet<>();
        int lexIndex = 0;
        List<ListedObject> lexOrder = new ArrayList<>();
        for (int i = 0; i < ready; i++) {
            lexOrder.addAll(groups.get(i));
        }
        for (int gi = 0; gi < ready; gi++) {
            List<ListedObject> g = new ArrayList<>(groups.get(gi));
            g.sort(COUNTER_ORDER);
            for (ListedObject o : g) {
                written.add(o.key());
                String commit = null;
                while (lexIndex < lexOrder.size() && written.contains(lexOrder.get(lexIndex).key())) {
                    commit = lexOrder.get(lexIndex).key();
                    lexIndex++;
                }
                // StartAfter=commit must leave exactly the keys not yet written
                steps.add(new Step(o, lexIndex == written.size() ? commit : null, gi));
            }
        }
        return new Plan(List.copyOf(steps), waiting, complete);
    }

    /** Consecutive keys (in key order) that differ only in their counter. */
    static List<List<ListedObject>> groups(List<ListedObject> listed) {
        List<List<ListedObject>> groups = new ArrayList<>();
        String base = null;
        for (ListedObject o : listed) {
            String b = base(o.key());
            if (b == null || !b.equals(base) || groups.isEmpty()) {
                groups.add(new ArrayList<>());
            }
            groups.get(groups.size() - 1).add(o);
            base = b;
        }
        return groups;
    }

    /** Everything before the counter, or {@code null} for a key without one. */
    static String base(String key) {
        Matcher m = COUNTER.matcher(key);
        return m.matches() ? m.group(1) : null;
    }

    static BigInteger counter(String key) {
        Matcher m = COUNTER.matcher(key);
        return m.matches() ? new BigInteger(m.group(2)) : BigInteger.ZERO;
    }

    static final Comparator<ListedObject> COUNTER_ORDER = Comparator
            .comparing((ListedObject o) -> counter(o.key()))
            .thenComparing(ListedObject::key);
}
