package io.s3logroutes.fetch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.s3logroutes.event.EventCodec;
import io.s3logroutes.event.LogEvent;
import io.s3logroutes.testing.ChildJvm;
import io.s3logroutes.testing.FetchProps;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exactly once across kill -9: the application fetches a prefix in a child JVM that is killed (SIGKILL) at random
 * points and restarted; the output files end byte-identical to what one uninterrupted run writes.
 * {@code -Ds3logs.test.kills=N} sets the number of kills (6 in {@code mvn verify}; {@code bench/run.sh kills} runs 50);
 * the objects grow with it (30 per kill, at least 300).
 */
class FetchKillIT {

    static final int KILLS = Integer.getInteger("s3logs.test.kills", 6);
    static final int OBJECTS = Math.max(300, 30 * KILLS);

    @TempDir
    Path work;

    @Test
    void killedAtRandomPointsAndRestartedTheOutputIsExactlyOnce() throws Exception {
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("fetch-kill");
        long seed = Long.getLong("s3logs.test.seed", System.nanoTime());
        Random r = new Random(seed);
        Instant day = Instant.parse("2018-05-16T23:59:00Z");
        Map<Path, ByteArrayOutputStream> expected = new TreeMap<>();
        Path out = work.resolve("out");
        List<Runnable> puts = new ArrayList<>();
        String last = null;
        for (int i = 0; i < OBJECTS; i++) {
            Instant t = day.plusSeconds(i / 3 * 600L); // spans three days, so the output moves between files
            String key = FetchIT.key("KILL", t, i % 3 + 1, false);
            EventCodec.Format f = r.nextBoolean() ? EventCodec.Format.JSON : EventCodec.Format.RAW;
            boolean gz = r.nextBoolean();
            if (gz) {
                key = key + ".gz";
            }
            List<LogEvent> events = FetchObjects.events("kill-host", 1 + r.nextInt(15), r);
            byte[] body = FetchObjects.body(events, f, gz);
            Path file = out.resolve(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd")
                    .withZone(java.time.ZoneOffset.UTC).format(t) + ".log");
            expected.computeIfAbsent(file, k -> new ByteArrayOutputStream())
                    .writeBytes(FetchObjects.expected(f == EventCodec.Format.JSON ? events : FetchObjects.rawOnly(events),
                            EventCodec.Format.JSON));
            String k = key;
            puts.add(() -> FetchObjects.put(s3.client(), bucket, k, body, gz));
            last = key;
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            puts.forEach(p -> done.add(pool.submit(p)));
            for (Future<?> d : done) {
                d.get();
            }
        } finally {
            pool.shutdown();
        }
        long total = expected.values().stream().mapToLong(ByteArrayOutputStream::size).sum();

        Map<String, String> props = FetchProps.under(s3, bucket, work, "KILL/");
        props.put("s3logs.fetch.poll-interval", "100ms");
        props.put("s3logs.fetch.max-keys", "250");
        props.put("s3logs.fetch.output-format", "json");
        props.put("s3logs.fetch.output-file", out.resolve("{yyyy-MM-dd}.log").toString());
        Path log = work.resolve("child.log");

        long started = System.nanoTime();
        int kills = 0;
        String lastKey = last;
        while (kills < KILLS && !lastKey.equals(checkpointKey())) {
            long base = outputBytes(out);
            long threshold = base + 1 + r.nextInt((int) Math.max(1, total / (KILLS * 3L)));
            Process p = ChildJvm.start(work, log, props, s3.credentialsEnv());
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(2))
                        .until(() -> !p.isAlive() || outputBytes(out) >= threshold || lastKey.equals(checkpointKey()));
                assertThat(p.isAlive()).as("child alive; see " + log).isTrue();
            } finally {
                p.destroyForcibly();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            kills++;
        }
        Process p = ChildJvm.start(work, log, props, s3.credentialsEnv());
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> lastKey.equals(checkpointKey()));
        } finally {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        String childLog = Files.readString(log, StandardCharsets.UTF_8);
        long cuts = childLog.lines().filter(l -> l.contains("that were written after the checkpoint")).count();
        System.out.printf("fetch kill -9 IT (seed %d): %d objects, %d bytes in %d files, %d kills, %d restarts cut"
                + " uncommitted output, %.1f s%n", seed, OBJECTS, total, expected.size(), kills, cuts, seconds);

        assertThat(kills).as("kills before the last object was fetched").isGreaterThanOrEqualTo(KILLS * 9 / 10);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.sorted().toList()).containsExactlyElementsOf(expected.keySet());
        }
        for (Map.Entry<Path, ByteArrayOutputStream> e : expected.entrySet()) {
            byte[] actual = Files.readAllBytes(e.getKey());
            assertThat(new String(actual, StandardCharsets.UTF_8)).as(e.getKey().toString())
                    .isEqualTo(e.getValue().toString(StandardCharsets.UTF_8));
            assertThat(actual).as(e.getKey().toString()).isEqualTo(e.getValue().toByteArray());
        }
        assertThat(work.resolve("failed.log")).doesNotExist();
        assertThat(childLog).doesNotContain("Fetch: poll failed");
    }

    String checkpointKey() throws Exception {
        Path f = work.resolve("lastkey.log");
        try {
            return Checkpoint.parse(Files.readString(f)).key().orElse("");
        } catch (java.nio.file.NoSuchFileException e) {
            return "";
        }
    }

    static long outputBytes(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            long sum = 0;
            for (Path f : s.toList()) {
                try {
                    sum += Files.size(f);
                } catch (java.nio.file.NoSuchFileException gone) {
                    // listed while the child created it; counted on the next poll
                }
            }
            return sum;
        }
    }
}
