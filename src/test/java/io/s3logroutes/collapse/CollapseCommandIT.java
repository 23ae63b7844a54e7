package io.s3logroutes.collapse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.s3logroutes.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code java -jar s3-log-routes.jar collapse --from ... --to ...} in a child JVM: summary lines, exit codes, kill -9. */
class CollapseCommandIT {

    @TempDir
    Path work;

    final LogData data = new LogData(11);

    SortedMap<String, byte[]> day(Fixture f, String day, int n) {
        SortedMap<String, byte[]> m = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            LocalDateTime t = LocalDateTime.parse(day + "T00:00").plusSeconds(i * (86_000L / n));
            m.put(data.accessKey("", t), data.accessObject(t.toInstant(ZoneOffset.UTC), 2));
        }
        LogData.putAll(f.s3, f.bucket, m);
        return m;
    }

    record Result(int exit, String output) {
    }

    Process start(Fixture f, Path log, String... args) throws Exception {
        Map<String, String> props = new HashMap<>(f.server.appProperties(f.bucket));
        return ChildJvm.start(work, log, props, f.server.credentialsEnv(), args);
    }

    Result run(Fixture f, String... args) throws Exception {
        Path log = work.resolve("child-" + System.nanoTime() + ".log");
        Process p = start(f, log, args);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child exited").isTrue();
        return new Result(p.exitValue(), Files.readString(log));
    }

    @Test
    void backlogRangePrintsOneLinePerPeriodAndExitsZero() throws Exception {
        Fixture f = new Fixture("cmd-ok");
        SortedMap<String, byte[]> d1 = day(f, "2014-12-29", 30);
        SortedMap<String, byte[]> d3 = day(f, "2014-12-31", 20);

        Result r = run(f, "collapse", "--from", "2014-12-29", "--to", "2014-12-31");

        assertThat(r.exit()).as(r.output()).isZero();
        List<String> lines = r.output().lines().filter(l -> l.startsWith("collapse ")).toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("collapse 2014-12-29 2014-12-29-: 30 objects, " + LogData.concat(d1).length
                + " bytes -> 2014-12-29_collapsed");
        assertThat(lines.get(1)).isEqualTo("collapse 2014-12-30 2014-12-30-: no objects");
        assertThat(lines.get(2)).startsWith("collapse 2014-12-31 2014-12-31-: 20 objects, ");
        assertThat(r.output()).contains("collapse: 3 period groups, 0 failed");
        assertThat(LogData.digest(f.get("2014-12-31_collapsed"))).isEqualTo(LogData.digest(LogData.concat(d3)));
    }

    @Test
    void aFailedPeriodMakesTheExitStatusNonZeroAndBadArgumentsAreTwo() throws Exception {
        Fixture f = new Fixture("cmd-fail");
        SortedMap<String, byte[]> objs = day(f, "2014-12-31", 5);
        String gz = objs.lastKey();
        f.s3.putObject(b -> b.bucket(f.bucket).key(gz),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(LogData.gzip(objs.get(gz))));

        Result failed = run(f, "collapse", "--from", "2014-12-31T00", "--to", "2014-12-31T00");
        assertThat(failed.exit()).as(failed.output()).isEqualTo(1);
        assertThat(failed.output()).contains("collapse 2014-12-31 2014-12-31-: FAILED; " + gz + " is gzip");
        assertThat(f.list("")).hasSize(5);

        Path log = work.resolve("bad-setting.log");
        Map<String, String> props = new HashMap<>(f.server.appProperties(f.bucket));
        props.put("s3logs.collapse.part-size", "1MiB");
        Process p = ChildJvm.start(work, log, props, f.server.credentialsEnv(), "collapse");
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log)).contains("s3-log-routes: s3logs.collapse.part-size must be between 5MiB");

        Result bad = run(f, "collapse", "--from", "31.12.2014");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.output()).contains("s3-log-routes collapse: --from must be YYYY-MM-DD, YYYY-MM-DDTHH, YYYY-MM-DDTHH:mm, YYYY-MM or YYYY, got '31.12.2014'");
    }

    @Test
    void killMinus9DuringARunThenRerunEndsConsistent() throws Exception {
        Fixture f = new Fixture("cmd-kill");
        SortedMap<String, byte[]> objs = day(f, "2014-12-31", 1_200);
        Path log = work.resolve("killed.log");
        Process p = start(f, log, "collapse", "--from", "2014-12-31", "--to", "2014-12-31");
        // kill as soon as the manifest exists: the output may or may not be completed, deletes may have begun
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                .until(() -> !f.list("2014-12-31_collapsed.manifest.json").isEmpty() || !p.isAlive());
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int left = f.list("2014-12-31-").size();
        System.out.println("killed with " + left + " of 1200 inputs left");

        List<GroupResult> r = f.run("2014-12-31", "2014-12-31");

        assertThat(r).singleElement().satisfies(x -> assertThat(x.ok()).as(x.summary()).isTrue());
        assertThat(f.list("").keySet()).containsExactly("2014-12-31_collapsed", "2014-12-31_collapsed.manifest.json");
        assertThat(LogData.digest(f.get("2014-12-31_collapsed"))).isEqualTo(LogData.digest(LogData.concat(objs)));
        assertThat(f.pendingUploads()).isZero();
    }
}
