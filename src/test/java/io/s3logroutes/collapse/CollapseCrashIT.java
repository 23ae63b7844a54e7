package io.s3logroutes.collapse;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A run that stops dead between two steps (an {@link Error} thrown by the hook: no cleanup runs, as after kill -9),
 * then a normal run: one output holding every input exactly once, every input deleted, no multipart upload left.
 */
class CollapseCrashIT {

    static final class Crash extends Error {
        Crash(CollapseHook.Step step) {
            super("simulated crash at " + step);
        }
    }

    final LogData data = new LogData(3);

    SortedMap<String, byte[]> objects(Fixture f, int n) {
        SortedMap<String, byte[]> m = new TreeMap<>();
        LocalDateTime day = LocalDateTime.parse("2014-12-31T00:00");
        for (int i = 0; i < n; i++) {
            LocalDateTime t = day.plusSeconds(i * 80L);
            m.put(data.accessKey("logs/", t), data.accessObject(t.toInstant(ZoneOffset.UTC), 1));
        }
        LogData.putAll(f.s3, f.bucket, m);
        return m;
    }

    void runCrashingAt(Fixture f, CollapseHook.Step step, String... props) {
        try (CollapseService svc = f.service((s, key) -> {
            if (s == step) {
                throw new Crash(s);
            }
        }, props)) {
            assertThatThrownBy(() -> svc.runRange(LocalDateTime.parse("2014-12-31T00:00"), LocalDateTime.parse("2014-12-31T00:00")))
                    .isInstanceOf(Crash.class);
        }
    }

    void assertConsistent(Fixture f, SortedMap<String, byte[]> objs) {
        assertThat(f.list("logs/").keySet()).containsExactly("logs/2014-12-31_collapsed",
                "logs/2014-12-31_collapsed.manifest.json");
        assertThat(LogData.digest(f.get("logs/2014-12-31_collapsed"))).isEqualTo(LogData.digest(LogData.concat(objs)));
        assertThat(f.pendingUploads()).isZero();
    }

    @ParameterizedTest
    @EnumSource(CollapseHook.Step.class)
    void crashAtEachStepThenRerunEndsConsistent(CollapseHook.Step step) {
        Fixture f = new Fixture("crash-" + step.name().toLowerCase().replace('_', '-'));
        // over 1,000 inputs, so that a crash after the first DeleteObjects batch leaves some inputs behind
        SortedMap<String, byte[]> objs = objects(f, 1_050);
        runCrashingAt(f, step, "s3logs.collapse.input-prefix", "logs/");
        if (step == CollapseHook.Step.DELETE_BATCH_DONE) {
            assertThat(f.list("logs/")).as("inputs left after the first batch").hasSize(50 + 2);
        }
        List<GroupResult> r = f.run("2014-12-31", "2014-12-31", "s3logs.collapse.input-prefix", "logs/");
        assertThat(r).singleElement().satisfies(x -> assertThat(x.ok()).as(x.summary()).isTrue());
        assertConsistent(f, objs);
    }

    @Test
    void crashesAtSuccessiveStepsOfAMultipartOutputThenRerunEndsConsistent() {
        Fixture f = new Fixture("crash-chain");
        SortedMap<String, byte[]> objs = new TreeMap<>(objects(f, 1_020));
        // two inputs of 3 MiB make the output a multipart upload
        for (int i = 0; i < 2; i++) {
            String key = data.accessKey("logs/", LocalDateTime.parse("2014-12-31T23:50").plusMinutes(i));
            objs.put(key, data.bulkyLines(3 << 20));
            LogData.putAll(f.s3, f.bucket, java.util.Map.of(key, objs.get(key)));
        }
        String[] props = {"s3logs.collapse.input-prefix", "logs/", "s3logs.collapse.part-size", "5MiB"};
        runCrashingAt(f, CollapseHook.Step.PARTS_UPLOADED, props);
        assertThat(f.pendingUploads()).as("an upload left by the crash").isEqualTo(1);
        runCrashingAt(f, CollapseHook.Step.MANIFEST_WRITTEN, props);
        assertThat(f.list("logs/2014-12-31_collapsed").keySet()).containsExactly("logs/2014-12-31_collapsed.manifest.json");
        // the rerun rebuilds the output from the manifest and crashes again after completing it
        runCrashingAt(f, CollapseHook.Step.OUTPUT_COMPLETED, props);
        runCrashingAt(f, CollapseHook.Step.DELETE_BATCH_DONE, props);
        List<GroupResult> r = f.run("2014-12-31", "2014-12-31", props);
        assertThat(r.get(0).summary()).startsWith("collapse 2014-12-31 logs/2014-12-31-: 22 objects, ")
                .contains(" bytes -> logs/2014-12-31_collapsed; resumed logs/2014-12-31_collapsed (22 inputs deleted)");
        assertConsistent(f, objs);
    }

    @Test
    void anOutputWithoutManifestIsLeftAloneAndReported() {
        Fixture f = new Fixture("crash-foreign");
        SortedMap<String, byte[]> objs = objects(f, 10);
        f.s3.putObject(b -> b.bucket(f.bucket).key("logs/2014-12-31_collapsed"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("someone else's\n"));

        List<GroupResult> r = f.run("2014-12-31", "2014-12-31", "s3logs.collapse.input-prefix", "logs/");

        assertThat(r.get(0).summary()).contains("output logs/2014-12-31_collapsed exists without a manifest: left alone")
                .contains("-> logs/2014-12-31_collapsed-0002");
        assertThat(f.get("logs/2014-12-31_collapsed")).asString().isEqualTo("someone else's\n");
        assertThat(LogData.digest(f.get("logs/2014-12-31_collapsed-0002"))).isEqualTo(LogData.digest(LogData.concat(objs)));
    }
}
