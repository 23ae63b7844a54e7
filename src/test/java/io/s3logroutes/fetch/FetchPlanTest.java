package io.s3logroutes.fetch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FetchPlanTest {

    static final Instant NOW = Instant.parse("2018-05-17T14:00:00Z");
    static final Duration SETTLE = Duration.ofMinutes(5);

    static ListedObject o(String key) {
        return new ListedObject(key, NOW, 10, "\"etag\"");
    }

    static List<ListedObject> sorted(String... keys) {
        List<ListedObject> l = new ArrayList<>();
        for (String k : java.util.Arrays.stream(keys).sorted().toList()) {
            l.add(o(k));
        }
        return l;
    }

    static List<String> keys(FetchPlan.Plan p) {
        return p.steps().stream().map(s -> s.object().key()).toList();
    }

    static List<String> commits(FetchPlan.Plan p) {
        return p.steps().stream().map(FetchPlan.Step::commitKey).toList();
    }

    @Test
    void unpaddedNxlogCountersAreReadInCounterOrderAndCheckpointedOnlyWhereKeyOrderAgrees() {
        List<ListedObject> listed = sorted("S/2018-05-17/13.45.07-1", "S/2018-05-17/13.45.07-2",
                "S/2018-05-17/13.45.07-10", "S/2018-05-17/13.45.07-11", "S/2018-05-17/13.45.08-1");
        assertThat(listed.get(1).key()).endsWith("-10");
        FetchPlan.Plan p = FetchPlan.plan(listed, false, NOW, SETTLE);
        assertThat(keys(p)).containsExactly("S/2018-05-17/13.45.07-1", "S/2018-05-17/13.45.07-2",
                "S/2018-05-17/13.45.07-10", "S/2018-05-17/13.45.07-11", "S/2018-05-17/13.45.08-1");
        // after -2 the keys written are {-1,-2}, but -10 and -11 sort before -2: the checkpoint waits for them
        assertThat(commits(p)).containsExactly("S/2018-05-17/13.45.07-1", null, null,
                "S/2018-05-17/13.45.07-2", "S/2018-05-17/13.45.08-1");
        assertThat(p.complete()).isTrue();
        assertThat(p.waiting()).isNull();
    }

    @Test
    void paddedKeysAreCheckpointedAfterEveryObject() {
        List<ListedObject> listed = sorted("S/2018-05-17/13.45.07-000001.gz", "S/2018-05-17/13.45.07-000002.gz",
                "S/2018-05-17/13.45.07-000010.gz");
        FetchPlan.Plan p = FetchPlan.plan(listed, false, NOW, SETTLE);
        assertThat(commits(p)).containsExactlyElementsOf(keys(p));
        assertThat(keys(p)).containsExactlyElementsOf(listed.stream().map(ListedObject::key).toList());
    }

    @Test
    void stopsAtTheFirstTooYoungGroupInsteadOfSkippingIt() {
        List<ListedObject> listed = sorted("S/2018-05-17/13.50.00-1", "S/2018-05-17/13.56.00-1",
                "S/2018-05-17/13.56.00-2", "S/2018-05-17/13.40.00-1x", "T/2018-05-17/10.00.00-1");
        FetchPlan.Plan p = FetchPlan.plan(listed, false, NOW, SETTLE);
        assertThat(keys(p)).containsExactly("S/2018-05-17/13.40.00-1x", "S/2018-05-17/13.50.00-1");
        assertThat(p.waiting()).isEqualTo("S/2018-05-17/13.56.00-1");
        assertThat(p.complete()).isFalse();
        // the end of its second exactly settle old is old enough
        FetchPlan.Plan later = FetchPlan.plan(listed, false, Instant.parse("2018-05-17T14:01:01Z"), SETTLE);
        assertThat(later.steps()).hasSize(5);
    }

    @Test
    void aSecondSettlesFromItsEndAsItsObjectsWereWrittenDuringIt() {
        // 13.55.00-2 may have been named at 13:55:00.999 and be visible only at 14:00:00.9 (within the 5 minutes)
        List<ListedObject> listed = sorted("S/2018-05-17/13.55.00-1", "S/2018-05-17/13.55.00-3");
        FetchPlan.Plan atTheStart = FetchPlan.plan(listed, false, Instant.parse("2018-05-17T14:00:00.999Z"), SETTLE);
        assertThat(atTheStart.steps()).isEmpty();
        assertThat(atTheStart.waiting()).isEqualTo("S/2018-05-17/13.55.00-1");
        assertThat(keys(FetchPlan.plan(listed, false, Instant.parse("2018-05-17T14:00:01Z"), SETTLE)))
                .containsExactly("S/2018-05-17/13.55.00-1", "S/2018-05-17/13.55.00-3");
        // LastModified is a whole second too
        ListedObject stamped = new ListedObject("other/a.log", Instant.parse("2018-05-17T13:55:00Z"), 1, "e");
        assertThat(FetchPlan.plan(List.of(stamped), false, Instant.parse("2018-05-17T14:00:00.5Z"), SETTLE)
                .waiting()).isEqualTo("other/a.log");
    }

    @Test
    void keysWithoutATimeUseLastModified() {
        ListedObject young = new ListedObject("other/a.log", NOW.minusSeconds(10), 1, "e");
        ListedObject old = new ListedObject("other/0.log", NOW.minusSeconds(3600), 1, "e");
        FetchPlan.Plan p = FetchPlan.plan(List.of(old, young), false, NOW, SETTLE);
        assertThat(keys(p)).containsExactly("other/0.log");
        assertThat(p.waiting()).isEqualTo("other/a.log");
    }

    @Test
    void aTruncatedListingLeavesItsLastGroupForTheNextBatch() {
        List<ListedObject> listed = sorted("S/2018-05-17/13.45.07-1", "S/2018-05-17/13.45.08-1",
                "S/2018-05-17/13.45.08-10");
        FetchPlan.Plan p = FetchPlan.plan(listed, true, NOW, SETTLE);
        assertThat(keys(p)).containsExactly("S/2018-05-17/13.45.07-1");
        assertThat(p.complete()).isFalse();
        FetchPlan.Plan one = FetchPlan.plan(sorted("S/2018-05-17/13.45.08-1", "S/2018-05-17/13.45.08-10"), true,
                NOW, SETTLE);
        assertThat(one.steps()).isEmpty();
        assertThat(one.waiting()).isNull();
    }

    @Test
    void groupsAreConsecutiveKeysThatDifferOnlyInTheCounter() {
        List<List<ListedObject>> g = FetchPlan.groups(sorted("a/x-1", "a/x-10", "a/x-2", "a/y-1", "b", "c"));
        assertThat(g).hasSize(4);
        assertThat(g.get(0)).hasSize(3);
        assertThat(FetchPlan.base("S/2018-05-17/13.45.07-000001.gz")).isEqualTo("S/2018-05-17/13.45.07-");
        assertThat(FetchPlan.counter("S/2018-05-17/13.45.07-000012.gz")).isEqualTo(java.math.BigInteger.valueOf(12));
    }

    /**
     * Fetch as FetchLister runs it over a bucket of {@code keys}: pages of {@code pageSize} keys after the
     * checkpoint, accumulated until a plan has something to read; once, after {@code crashAfter} objects, the run is
     * killed, so the output is cut back to what the checkpoint covers and the next plan starts after it.
     *
     * @return the keys whose events are in the output, in output order
     */
    static List<String> fetchAll(List<String> keys, int pageSize, int crashAfter, Instant now, java.time.ZoneId zone) {
        List<String> bucket = keys.stream().sorted().toList();
        List<String> output = new ArrayList<>();
        String checkpoint = null;
        boolean crashed = crashAfter < 0;
        for (int round = 0; round < 1000; round++) {
            String after = checkpoint;
            List<ListedObject> after0 = bucket.stream().filter(k -> after == null || k.compareTo(after) > 0)
                    .map(FetchPlanTest::o).toList();
            if (after0.isEmpty()) {
                return output;
            }
            FetchPlan.Plan plan = null;
            for (int n = pageSize; ; n += pageSize) {
                boolean truncated = n < after0.size();
                plan = FetchPlan.plan(after0.subList(0, Math.min(n, after0.size())), truncated, now, SETTLE, zone);
                if (!plan.steps().isEmpty() || plan.waiting() != null || !truncated) {
                    break;
                }
            }
            if (plan.steps().isEmpty()) {
                return output;
            }
            List<String> written = new ArrayList<>();
            for (FetchPlan.Step step : plan.steps()) {
                if (!crashed && output.size() + written.size() == crashAfter) {
                    crashed = true;
                    break;
                }
                written.add(step.object().key());
                if (step.commitKey() != null) {
                    // the checkpoint moves: what was written so far is durable
                    checkpoint = step.commitKey();
                    output.addAll(written);
                    written.clear();
                }
            }
            // whatever was written after the last checkpoint is cut off (a crash, or the end of a batch without one)
        }
        throw new AssertionError("no progress: " + output);
    }

    static List<String> second(String base, int n) {
        List<String> l = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            l.add(base + i);
        }
        return l;
    }

    @Test
    void moreThanTenUnpaddedObjectsInASecondAreReadOnceEachInCounterOrderAcrossPagesAndCrashes() {
        List<String> expected = new ArrayList<>();
        expected.addAll(second("S/2018-05-17/13.45.06-", 3));
        expected.addAll(second("S/2018-05-17/13.45.07-", 25));
        expected.addAll(second("S/2018-05-17/13.45.08-", 11));
        expected.addAll(second("S/2018-05-17/13.45.09-", 1));
        for (int pageSize : new int[] {1, 4, 10, 1000}) {
            for (int crash = -1; crash <= expected.size(); crash++) {
                assertThat(fetchAll(expected, pageSize, crash, NOW, java.time.ZoneOffset.UTC))
                        .as("page size %d, killed after %d objects", pageSize, crash)
                        .containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void keyTimesAreReadInTheKeyTimeZone() {
        // written at 13:45Z by a host whose keys are in Indian time (+05:30)
        List<ListedObject> listed = sorted("S/2018-05-17/19.15.00-1");
        Instant now = Instant.parse("2018-05-17T13:51:00Z");
        assertThat(FetchPlan.plan(listed, false, now, SETTLE).waiting()).isEqualTo("S/2018-05-17/19.15.00-1");
        assertThat(keys(FetchPlan.plan(listed, false, now, SETTLE, java.time.ZoneId.of("Asia/Kolkata"))))
                .containsExactly("S/2018-05-17/19.15.00-1");
    }

    @Test
    void theHourTheClocksGoBackIsReadOnlyOnceItHasPassedTwice() {
        java.time.ZoneId berlin = java.time.ZoneId.of("Europe/Berlin");
        // 2018-10-28: 03:00 CEST becomes 02:00 CET at 01:00Z; a Berlin writer writes 02.xx keys twice
        List<String> firstPass = List.of("S/2018-10-28/01.59.00-1", "S/2018-10-28/02.10.00-1",
                "S/2018-10-28/02.50.00-1");
        List<String> secondPass = List.of("S/2018-10-28/02.10.00-2", "S/2018-10-28/02.20.00-1",
                "S/2018-10-28/03.05.00-1");
        // between the passes (00:58Z) only the key before the repeated hour is read
        Instant between = Instant.parse("2018-10-28T00:58:00Z");
        FetchPlan.Plan p = FetchPlan.plan(sorted(firstPass.toArray(String[]::new)), false, between, SETTLE, berlin);
        assertThat(keys(p)).containsExactly("S/2018-10-28/01.59.00-1");
        assertThat(p.waiting()).isEqualTo("S/2018-10-28/02.10.00-1");
        // read as the earlier instants, the first pass would have been read and checkpointed past 02.50.00-1,
        // and 02.10.00-2 and 02.20.00-1 of the second pass would land behind the checkpoint
        assertThat(keys(FetchPlan.plan(sorted(firstPass.toArray(String[]::new)), false, between, SETTLE,
                java.time.ZoneOffset.ofHours(2)))).contains("S/2018-10-28/02.50.00-1");
        // once the repeated hour has passed twice and settled, both passes are read, each key once
        List<String> all = new ArrayList<>(firstPass);
        all.addAll(secondPass);
        Instant after = Instant.parse("2018-10-28T02:00:00Z");
        assertThat(fetchAll(all, 2, -1, after, berlin)).containsExactly("S/2018-10-28/01.59.00-1",
                "S/2018-10-28/02.10.00-1", "S/2018-10-28/02.10.00-2", "S/2018-10-28/02.20.00-1",
                "S/2018-10-28/02.50.00-1");
        assertThat(FetchPlan.plan(sorted(all.toArray(String[]::new)), false, after, SETTLE, berlin).waiting())
                .isEqualTo("S/2018-10-28/03.05.00-1");
    }
}
