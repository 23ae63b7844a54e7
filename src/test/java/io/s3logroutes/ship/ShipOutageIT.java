package io.s3logroutes.ship;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.s3logroutes.embedded.EmbeddedS3Server;
import io.s3logroutes.testing.App;
import io.s3logroutes.testing.ChildJvm;
import io.s3logroutes.testing.S3Read;
import io.s3logroutes.testing.ShipProps;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** S3 outages, a full spool, two writers with one server name, and SIGTERM. */
class ShipOutageIT {

    @TempDir
    Path work;

    Map<String, String> props(TestS3 s3, String bucket, Path dir) {
        Map<String, String> p = new HashMap<>(s3.appProperties(bucket));
        p.putAll(ShipProps.under(dir, "SERVER01"));
        return p;
    }

    static List<String> writeFiles(Path in, String prefix, int files, int lines) throws Exception {
        Files.createDirectories(in);
        List<String> all = new ArrayList<>();
        for (int f = 0; f < files; f++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < lines; i++) {
                String l = prefix + " file " + f + " line " + i + " " + Long.toHexString(Double.doubleToLongBits(Math.random()));
                all.add(l);
                sb.append(l).append('\n');
            }
            Path tmp = in.resolveSibling(prefix + f + ".tmp");
            Files.writeString(tmp, sb);
            Files.move(tmp, in.resolve(prefix + f + ".log"));
        }
        return all;
    }

    static long count(Path dir, String suffix) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(suffix)).count();
        }
    }

    @Test
    void anOutageFillsTheSpoolStopsTheInputAndEverythingArrivesAfterIt() throws Exception {
        try (TestS3 s3 = TestS3.start(EmbeddedS3Server.Storage.FILESYSTEM, work.resolve("s3"))) {
            String bucket = s3.newBucket("outage");
            Map<String, String> p = props(s3, bucket, work);
            p.put("s3logs.s3.max-attempts", "2");
            p.put("s3logs.s3.call-attempt-timeout", "2s");
            p.put("s3logs.ship.retry-initial-delay", "200ms");
            p.put("s3logs.ship.retry-max-delay", "2s");
            p.put("s3logs.ship.batch.max-events", "100");
            p.put("s3logs.ship.gzip", "false");
            p.put("s3logs.ship.spool-max-bytes", "64KiB");
            try (App app = App.start(p)) {
                s3.stopServer();
                List<String> lines = writeFiles(work.resolve("in"), "out", 20, 1000);
                ShipPipeline pipeline = app.context().getRegistry().lookupByNameAndType("shipPipeline", ShipPipeline.class);
                // during the outage the spool fills up to its limit and the input stops: not every file is taken
                await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.spool().isFull());
                await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(20)).until(() ->
                        count(work.resolve("done"), ".log") < 20 && pipeline.spool().bytes() <= 64 * 1024 + 16 * 1024);
                s3.restart();
                await().atMost(Duration.ofSeconds(120)).until(() -> count(work.resolve("done"), ".log") == 20
                        && count(work.resolve("spool"), ".batch") == 0);
                List<String> shipped = S3Read.lines(s3.client(), bucket);
                assertThat(shipped).containsExactlyInAnyOrderElementsOf(lines);
            }
        }
    }

    @Test
    void twoWritersWithTheSameServerNeverOverwriteEachOther() throws Exception {
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("writers");
        List<String> expected = new ArrayList<>();
        List<Process> procs = new ArrayList<>();
        for (String w : List.of("a", "b")) {
            Path dir = Files.createDirectories(work.resolve(w));
            expected.addAll(writeFiles(dir.resolve("in"), w, 1, 600));
            Map<String, String> p = props(s3, bucket, dir);
            p.put("s3logs.ship.batch.max-events", "1");
            p.put("s3logs.ship.gzip", "false");
            p.put("s3logs.ship.concurrency", "8");
            procs.add(ChildJvm.start(dir, dir.resolve("child.log"), p, s3.credentialsEnv()));
        }
        await().atMost(Duration.ofMinutes(3)).until(() -> count(work.resolve("a/done"), ".log") == 1
                && count(work.resolve("b/done"), ".log") == 1 && count(work.resolve("a/spool"), ".batch") == 0
                && count(work.resolve("b/spool"), ".batch") == 0);
        for (Process p : procs) {
            p.destroy();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        List<String> keys = S3Read.keys(s3.client(), bucket);
        assertThat(keys).hasSize(1200).allMatch(k -> k.startsWith("SERVER01/"));
        assertThat(S3Read.lines(s3.client(), bucket)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void sigtermFlushesTheOpenBatchAndSavesTheTailOffset() throws Exception {
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("sigterm");
        Path tailed = work.resolve("app.log");
        Files.writeString(tailed, "");
        Map<String, String> p = props(s3, bucket, work);
        p.put("s3logs.ship.tail", tailed.toString());
        p.put("s3logs.ship.tail-poll-interval", "100ms");
        p.put("s3logs.ship.batch.max-age", "1h");
        p.put("s3logs.ship.gzip", "false");
        Process proc = ChildJvm.start(work, work.resolve("child.log"), p, s3.credentialsEnv());
        // the tail route has polled once when it saved the file's position
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(work.resolve("tail.json")));
        Files.writeString(tailed, "one\ntwo\nthree\n", StandardCharsets.UTF_8);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.list(work.resolve("spool"))
                .anyMatch(f -> f.toString().endsWith(".open")));
        proc.destroy();
        assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(S3Read.lines(s3.client(), bucket)).containsExactly("one", "two", "three");
        assertThat(Files.readString(work.resolve("tail.json"))).contains("\"offset\" : 14");
    }
}
