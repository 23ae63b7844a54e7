package io.s3logroutes.ship;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.s3logroutes.testing.ChildJvm;
import io.s3logroutes.testing.S3Read;
import io.s3logroutes.testing.ShipProps;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of a shipping JVM at random points, then restarts: nothing lost, at most one batch twice per kill.
 * {@code -Ds3logs.test.kills=N} sets the number of kills (6 in {@code mvn verify}; {@code bench/run.sh kills} runs 50),
 * and the input grows with it (two files of ten batches per kill, at least 40 files).
 */
class ShipCrashIT {

    static final int KILLS = Integer.getInteger("s3logs.test.kills", 6);
    static final int FILES = Math.max(40, 2 * KILLS);
    static final int LINES = 2500;
    static final int BATCH = 250;

    @TempDir
    Path work;

    /**
     * With {@code sync-interval} 0s every batch is committed on its own, so a kill re-ships at most one batch; with
     * group commit (the default, 100ms) it re-ships at most one commit group, and the file step commits at the end
     * of every file, so a group never holds more than one file's lines.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "sync-interval {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"0s", "100ms"})
    void killNineAtRandomPointsLosesNothing(String syncInterval) throws Exception {
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("crash");
        Path in = Files.createDirectories(work.resolve("in"));
        List<String> expected = new ArrayList<>();
        for (int f = 0; f < FILES; f++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < LINES; i++) {
                String line = "file" + f + " line" + i + " " + "x".repeat(60);
                expected.add(line);
                sb.append(line).append('\n');
            }
            Path tmp = work.resolve("f" + f + ".tmp");
            Files.writeString(tmp, sb);
            Files.move(tmp, in.resolve("f" + f + ".log"));
        }
        Map<String, String> props = new HashMap<>(s3.appProperties(bucket));
        props.putAll(ShipProps.under(work, "CRASH"));
        props.put("s3logs.ship.poll-interval", "50ms");
        props.put("s3logs.ship.batch.max-events", Integer.toString(BATCH));
        props.put("s3logs.ship.gzip", "true");
        props.put("s3logs.ship.sync-interval", syncInterval);
        long maxPerKill = "0s".equals(syncInterval) ? BATCH : LINES;
        long seed = Long.getLong("s3logs.test.seed", System.nanoTime());
        Random random = new Random(seed);
        Path log = work.resolve("child.log");
        int kills = 0;
        while (kills < KILLS) {
            Process p = ChildJvm.start(work, log, props, s3.credentialsEnv());
            // wait until this run ships (it seals a new batch into the spool), then kill it at a random point
            long doneBefore = done(work);
            java.util.Set<String> sealedBefore = sealed(work);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> !p.isAlive()
                    || !sealedBefore.containsAll(sealed(work)) || done(work) > doneBefore);
            if (!p.isAlive() || done(work) >= FILES) {
                p.destroy();
                p.waitFor(30, TimeUnit.SECONDS);
                break;
            }
            Thread.sleep(random.nextInt(250)); // the random kill point within the shipping run
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            kills++;
        }
        Process last = ChildJvm.start(work, log, props, s3.credentialsEnv());
        await().atMost(Duration.ofMinutes(3)).until(() -> done(work) == FILES && spoolEmpty(work));
        last.destroy();
        assertThat(last.waitFor(60, TimeUnit.SECONDS)).isTrue();

        List<String> shipped = S3Read.lines(s3.client(), bucket);
        Map<String, Long> counts = shipped.stream().collect(Collectors.groupingBy(l -> l, Collectors.counting()));
        java.util.Set<String> missing = new java.util.HashSet<>(expected);
        missing.removeAll(counts.keySet());
        assertThat(missing).as("input lines missing from S3").isEmpty();
        assertThat(counts).as("nothing else is in S3").hasSize(expected.size());
        long duplicates = shipped.size() - expected.size();
        System.out.printf("ship kill -9 (seed %d, sync-interval %s): %d kills, %d lines, %d duplicate lines"
                + " (%.2f batches per kill)%n", seed, syncInterval, kills, expected.size(), duplicates,
                kills == 0 ? 0.0 : duplicates / (double) BATCH / kills);
        assertThat(kills).as("kills before the input was done").isGreaterThanOrEqualTo(KILLS);
        assertThat(duplicates).as("duplicates: at most one batch (0s) or one commit group (one file) per kill")
                .isLessThanOrEqualTo(kills * maxPerKill);
    }

    static long done(Path work) throws IOException {
        Path d = work.resolve("done");
        if (!Files.isDirectory(d)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }

    /** The names of the sealed batches in the spool. */
    static java.util.Set<String> sealed(Path work) throws IOException {
        Path spool = work.resolve("spool");
        if (!Files.isDirectory(spool)) {
            return java.util.Set.of();
        }
        try (Stream<Path> s = Files.list(spool)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".batch"))
                    .collect(Collectors.toSet());
        }
    }

    static boolean spoolEmpty(Path work) throws IOException {
        try (Stream<Path> s = Files.list(work.resolve("spool"))) {
            return s.noneMatch(p -> p.toString().endsWith(".batch"));
        }
    }
}
