package io.s3logroutes.collapse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.s3logroutes.testing.ChildJvm;
import io.s3logroutes.testing.FaultProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code collapse --from ... --to ... --dry-run} in a child JVM, through a {@link FaultProxy} that injects no fault
 * and counts the requests by method: the plan of an interrupted period (a stale multipart upload, a manifest without
 * its output, late arrivals), a plain period, an empty one and a gzip/plain mix; no write request and no change to
 * the bucket. The real collapse then writes exactly the outputs the dry run named, with the bytes it counted.
 */
class CollapseDryRunIT {

    @TempDir
    Path work;

    final LogData data = new LogData(23);

    SortedMap<String, byte[]> day(Fixture f, String day, int n, int fromSecond) {
        SortedMap<String, byte[]> m = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            LocalDateTime t = LocalDateTime.parse(day + "T00:00").plusSeconds(fromSecond + i * 600L);
            m.put(data.accessKey("", t), data.accessObject(t.toInstant(ZoneOffset.UTC), 3));
        }
        LogData.putAll(f.s3, f.bucket, m);
        return m;
    }

    /** Every object (key, size, ETag) and every incomplete multipart upload of the bucket. */
    record State(SortedMap<String, String> objects, long bytes, List<String> uploads) {
    }

    static State state(Fixture f) {
        SortedMap<String, String> objects = new TreeMap<>();
        long bytes = 0;
        for (S3Object o : f.s3.listObjectsV2Paginator(b -> b.bucket(f.bucket)).contents()) {
            objects.put(o.key(), o.size() + " " + o.eTag());
            bytes += o.size();
        }
        List<String> uploads = new ArrayList<>();
        for (MultipartUpload u : f.s3.listMultipartUploads(b -> b.bucket(f.bucket)).uploads()) {
            uploads.add(u.key() + " " + u.uploadId());
        }
        return new State(objects, bytes, uploads);
    }

    record Result(int exit, String output) {
        List<String> lines(String prefix) {
            return output.lines().filter(l -> l.startsWith(prefix)).toList();
        }
    }

    Result run(Fixture f, FaultProxy proxy, String... args) throws Exception {
        Path log = work.resolve("child-" + System.nanoTime() + ".log");
        Map<String, String> props = new HashMap<>(f.server.appProperties(f.bucket));
        props.put("s3logs.s3.endpoint", proxy.endpoint().toString());
        Process p = ChildJvm.start(work, log, props, f.server.credentialsEnv(), args);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child exited").isTrue();
        return new Result(p.exitValue(), Files.readString(log));
    }

    static long sum(Map<String, byte[]> m) {
        return m.values().stream().mapToLong(b -> b.length).sum();
    }

    @Test
    void dryRunPrintsThePlanWritesNothingAndTheRealRunWritesWhatItNamed() throws Exception {
        Fixture f = new Fixture("collapse-dry-run");
        // 2014-12-28: an interrupted run left a manifest of 10 inputs without its output and a multipart upload of
        // the next output; 2 inputs arrived after it
        SortedMap<String, byte[]> interrupted = day(f, "2014-12-28", 10, 0);
        List<Manifest.Input> held = new ArrayList<>();
        for (S3Object o : f.s3.listObjectsV2Paginator(b -> b.bucket(f.bucket).prefix("2014-12-28-")).contents()) {
            held.add(new Manifest.Input(o.key(), o.size(), o.eTag()));
        }
        Manifest m = new Manifest(1, "2014-12-28", "2014-12-28-", "2014-12-28_collapsed", sum(interrupted), false, "",
                "2015-01-01T00:00:00Z", held);
        f.s3.putObject(b -> b.bucket(f.bucket).key("2014-12-28_collapsed.manifest.json"), RequestBody.fromBytes(m.toJson()));
        String staleId = f.s3.createMultipartUpload(b -> b.bucket(f.bucket).key("2014-12-28_collapsed-0002")).uploadId();
        SortedMap<String, byte[]> late = day(f, "2014-12-28", 2, 7_200);
        // 2014-12-29: plain inputs; 2014-12-30: none; 2014-12-31: the last input is gzip
        SortedMap<String, byte[]> plain = day(f, "2014-12-29", 30, 0);
        SortedMap<String, byte[]> mixed = day(f, "2014-12-31", 4, 0);
        String gz = mixed.lastKey();
        f.s3.putObject(b -> b.bucket(f.bucket).key(gz), RequestBody.fromBytes(LogData.gzip(mixed.get(gz))));
        String mixMessage = gz + " is gzip, but " + mixed.firstKey() + " before it is not gzip: gzip and plain objects"
                + " are never mixed (s3logs.collapse.on-mix=split writes them to two outputs); nothing uploaded, nothing"
                + " deleted";
        State before = state(f);

        try (FaultProxy proxy = new FaultProxy(f.server.server().endpoint(), 0.0, 1)) {
            Result dry = run(f, proxy, "collapse", "--from", "2014-12-28", "--to", "2014-12-31", "--dry-run");

            dry.lines("dry-run").forEach(System.out::println);
            assertThat(dry.exit()).as(dry.output()).isZero();
            assertThat(dry.lines("dry-run")).as(dry.output()).containsExactly(
                    "dry-run 2014-12-28 2014-12-28-: would abort the incomplete multipart upload " + staleId
                            + " of 2014-12-28_collapsed-0002 (left by an earlier run)",
                    "dry-run 2014-12-28 2014-12-28-: would resume 2014-12-28_collapsed: its manifest has no output;"
                            + " upload it again from its 10 inputs, " + DryRun.size(sum(interrupted)) + ", and delete them",
                    "dry-run 2014-12-28 2014-12-28-: 2 inputs, " + DryRun.size(sum(late))
                            + ", plain -> 2014-12-28_collapsed-0002",
                    "dry-run 2014-12-29 2014-12-29-: 30 inputs, " + DryRun.size(sum(plain))
                            + ", plain -> 2014-12-29_collapsed",
                    "dry-run 2014-12-30 2014-12-30-: nothing to do: no objects",
                    "dry-run 2014-12-31 2014-12-31-: would fail: " + mixMessage,
                    "dry-run: 4 period groups: 2 new outputs of 32 inputs, " + DryRun.size(sum(late) + sum(plain))
                            + "; 1 resumed, 1 would fail, 1 with nothing to do; nothing was written or deleted");
            assertThat(DryRun.size(sum(plain))).matches("\\d+\\.\\d (KiB|MiB) \\(\\d+ bytes\\)");
            assertThat(dry.lines("collapse ")).as("no collapse summary line: nothing collapsed").isEmpty();
            // nothing written: no PUT (objects, parts, copies), no POST (multipart create or complete, DeleteObjects),
            // no DELETE (abort, delete); the reads did go through the proxy
            assertThat(proxy.requests("GET")).as(proxy.summary()).isPositive();
            assertThat(proxy.requests("PUT")).isZero();
            assertThat(proxy.requests("POST")).isZero();
            assertThat(proxy.requests("DELETE")).isZero();
            State after = state(f);
            assertThat(after.objects()).isEqualTo(before.objects());
            assertThat(after.bytes()).isEqualTo(before.bytes());
            assertThat(after.uploads()).containsExactly("2014-12-28_collapsed-0002 " + staleId)
                    .isEqualTo(before.uploads());

            // the real run writes the outputs the dry run named, of the bytes it counted
            Result real = run(f, proxy, "collapse", "--from", "2014-12-28", "--to", "2014-12-31");

            assertThat(real.exit()).as(real.output()).isEqualTo(1);
            assertThat(proxy.requests("PUT")).as("the real run writes through the same proxy").isPositive();
            assertThat(real.lines("collapse ")).as(real.output()).containsExactly(
                    "collapse 2014-12-28 2014-12-28-: 12 objects, " + (sum(interrupted) + sum(late)) + " bytes -> "
                            + "2014-12-28_collapsed, 2014-12-28_collapsed-0002; resumed 2014-12-28_collapsed (10 inputs deleted)",
                    "collapse 2014-12-29 2014-12-29-: 30 objects, " + sum(plain) + " bytes -> 2014-12-29_collapsed",
                    "collapse 2014-12-30 2014-12-30-: no objects",
                    "collapse 2014-12-31 2014-12-31-: FAILED; " + mixMessage);
            assertThat(real.output()).contains("collapse: 4 period groups, 1 failed");
            SortedMap<String, Long> left = f.list("");
            assertThat(left).containsEntry("2014-12-28_collapsed", sum(interrupted))
                    .containsEntry("2014-12-28_collapsed-0002", sum(late))
                    .containsEntry("2014-12-29_collapsed", sum(plain));
            assertThat(left.keySet()).filteredOn(k -> !k.contains("_collapsed")).containsExactlyElementsOf(mixed.keySet());
            assertThat(f.pendingUploads()).isZero();
        }
    }
}
