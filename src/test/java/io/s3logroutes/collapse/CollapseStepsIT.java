package io.s3logroutes.collapse;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each step of {@link CollapseSteps} on its own, against the test S3 server: what it leaves in the bucket after it
 * and before the next step runs.
 */
class CollapseStepsIT {

    final LogData data = new LogData(21);

    CollapseSteps steps(Fixture f, String... kv) {
        Props p = new Props(k -> Optional.ofNullable(f.props(kv).get(k)));
        return new CollapseSteps(f.s3, S3Settings.from(p), CollapseSettings.from(p), f.clock, CollapseHook.NONE,
                CollapseMetrics.none(), () -> false);
    }

    SortedMap<String, byte[]> day(Fixture f, int n) {
        SortedMap<String, byte[]> m = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            LocalDateTime t = LocalDateTime.parse("2014-12-31T00:00").plusMinutes(i * 61L);
            m.put(data.accessKey("", t), data.accessObject(t.toInstant(ZoneOffset.UTC), 3));
        }
        LogData.putAll(f.s3, f.bucket, m);
        return m;
    }

    @Test
    void eachStepLeavesWhatTheNextOneNeeds() {
        Fixture f = new Fixture("steps");
        SortedMap<String, byte[]> in = day(f, 4);
        try (CollapseSteps s = steps(f)) {
            List<GroupWork> plan = s.plan(LocalDateTime.parse("2014-12-31T00:00"), LocalDateTime.parse("2014-12-31T00:00"));
            try {
                assertThat(plan).hasSize(1);
                GroupWork w = s.resume(plan.get(0));
                assertThat(w.getPending()).singleElement().satisfies(o -> assertThat(o.manifest().inputs())
                        .extracting(Manifest.Input::key).containsExactlyElementsOf(in.keySet()));
                OutputWork o = w.getPending().get(0);

                s.concatenate(o);
                assertThat(f.list("").keySet()).as("concatenated: nothing visible yet").containsExactlyElementsOf(in.keySet());
                s.manifest(o);
                assertThat(f.list("2014-12-31_collapsed").keySet()).containsExactly("2014-12-31_collapsed.manifest.json");
                s.complete(o);
                assertThat(LogData.digest(f.get("2014-12-31_collapsed"))).isEqualTo(LogData.digest(LogData.concat(in)));
                assertThat(f.list("2014-12-31-")).as("inputs kept until the delete step").hasSize(4);
                s.delete(o);
                assertThat(f.list("").keySet()).containsExactly("2014-12-31_collapsed", "2014-12-31_collapsed.manifest.json");

                GroupResult r = s.result(w);
                assertThat(r.status()).isEqualTo(GroupResult.Status.COLLAPSED);
                assertThat(r.objects()).isEqualTo(4);
                RunReport report = s.report(List.of(r));
                assertThat(report.getFailed()).isZero();
                assertThat(report.getLines()).containsExactly(r.summary());
            } finally {
                s.end();
            }
        }
    }

    @Test
    void resumeCutsAtMaxSizeAndPlanSkipsWhileARunIsActive() throws Exception {
        Fixture f = new Fixture("steps-cut");
        SortedMap<String, byte[]> in = day(f, 5);
        long max = LogData.concat(in).length / 2;
        try (CollapseSteps s = steps(f, "s3logs.collapse.max-size", String.valueOf(max))) {
            LocalDateTime d = LocalDateTime.parse("2014-12-31T00:00");
            List<GroupWork> plan = s.plan(d, d);
            try {
                AtomicReference<List<GroupWork>> meanwhile = new AtomicReference<>();
                Thread other = new Thread(() -> meanwhile.set(s.plan(d, d)));
                other.start();
                other.join();
                assertThat(meanwhile.get()).as("a second run while this one is active").isEmpty();

                GroupWork w = s.resume(plan.get(0));
                List<OutputWork> outs = w.getPending();
                assertThat(outs.size()).isBetween(2, 5);
                for (int i = 0; i < outs.size(); i++) {
                    Manifest m = outs.get(i).manifest();
                    assertThat(m.outputKey()).isEqualTo(i == 0 ? "2014-12-31_collapsed"
                            : String.format("2014-12-31_collapsed-%04d", i + 1));
                    assertThat(m.outputSize()).isLessThanOrEqualTo(max);
                }
                assertThat(outs.stream().flatMap(o -> o.manifest().inputs().stream()).map(Manifest.Input::key))
                        .as("every input once, in key order").containsExactlyElementsOf(in.keySet());
            } finally {
                s.end();
            }
        }
        try (CollapseSteps s = steps(f)) {
            LocalDateTime d = LocalDateTime.parse("2014-12-31T00:00");
            assertThat(s.plan(d, d)).as("the run ended: a new one plans again").hasSize(1);
            s.end();
        }
    }

    @Test
    void deleteRefusesInputsThatChangedAfterTheyWereRead() {
        Fixture f = new Fixture("steps-changed");
        SortedMap<String, byte[]> in = day(f, 2);
        try (CollapseSteps s = steps(f)) {
            LocalDateTime d = LocalDateTime.parse("2014-12-31T00:00");
            GroupWork w = s.resume(s.plan(d, d).get(0));
            s.end();
            OutputWork o = s.complete(s.manifest(s.concatenate(w.getPending().get(0))));
            String changed = in.firstKey();
            f.s3.putObject(b -> b.bucket(f.bucket).key(changed),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("rewritten\n"));

            assertThatThrownBy(() -> s.delete(o)).isInstanceOf(CollapseException.class).hasMessageContaining(changed);
            assertThat(f.list("").keySet()).contains(changed).doesNotContain(in.lastKey());
            GroupResult r = s.failed(w, new CollapseException("delete failed"));
            assertThat(r.ok()).isFalse();
            assertThat(r.outputs()).containsExactly("2014-12-31_collapsed");
        }
    }
}
