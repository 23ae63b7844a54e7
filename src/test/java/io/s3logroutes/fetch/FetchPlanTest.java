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
        // exactly settle old is old enough
        FetchPlan.Plan later = FetchPlan.plan(listed, false, Instant.parse("2018-05-17T14:01:00Z"), SETTLE);
        assertThat(later.steps()).hasSize(5);
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
}
