package io.s3logroutes.collapse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.s3logroutes.testing.ChildJvm;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of the backlog command at random points, then reruns. Each period holds 1,050 small inputs (two
 * DeleteObjects batches), two of 3 MiB (a multipart output of 5 MiB parts) and one of 6 MiB (copied server-side).
 * A child JVM runs {@code collapse --from DAY --to DAY}; once it logs its first collapse line it is killed (SIGKILL)
 * after a random delay within the time a whole run takes (the last completed run's, growing by a quarter with
 * each kill), and run again. After every kill nothing is lost (each
 * input is in the bucket or in a completed output that its manifest describes); after every run that exits by
 * itself the period is complete (no input left, each in exactly one output, no multipart upload), and the next
 * day is seeded. {@code -Ds3logs.test.kills=N} sets the number of kills (3 in {@code mvn verify};
 * {@code bench/run.sh kill} runs 50).
 */
class CollapseKillIT {

    static final int KILLS = Integer.getInteger("s3logs.test.kills", 3);
    static final String PREFIX = "logs/";

    @TempDir
    Path work;

    final TestS3 s3 = TestS3.shared();
    final LogData data = new LogData(7);

    SortedMap<String, byte[]> seed(String bucket, LocalDate day) {
        SortedMap<String, byte[]> m = data.accessPeriod(PREFIX, day);
        LogData.putAll(s3.client(), bucket, m);
        return m;
    }

    @Test
    void killedAtRandomPointsAndRerunEveryInputEndsInExactlyOneOutput() throws Exception {
        String bucket = s3.newBucket("collapse-kill");
        Map<String, String> props = new HashMap<>(s3.appProperties(bucket));
        props.put("s3logs.collapse.input-prefix", PREFIX);
        props.put("s3logs.collapse.part-size", "5MiB");
        long seed = Long.getLong("s3logs.test.seed", System.nanoTime());
        Random random = new Random(seed);

        LocalDate day = LocalDate.parse("2014-11-01");
        SortedMap<String, byte[]> inputs = seed(bucket, day);
        int kills = 0;
        int completed = 0;
        int runs = 0;
        // seconds from the first collapse line to the exit of a whole run: measured when a run completes, longer
        // after each kill
        double window = 3.0;
        long started = System.nanoTime();
        Map<String, Integer> killedAt = new TreeMap<>();
        while (kills < KILLS) {
            Path log = work.resolve("run-" + (++runs) + ".log");
            Process p = start(props, log, day);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(5))
                    .until(() -> !p.isAlive() || Files.readString(log, StandardCharsets.ISO_8859_1).contains("] collapse - "));
            long marker = System.nanoTime();
            if (p.isAlive()) {
                // the random kill point: anywhere within the time a whole run takes after its first collapse line
                p.waitFor((long) (random.nextDouble() * window * 1000), TimeUnit.MILLISECONDS);
            }
            if (p.isAlive()) {
                p.destroyForcibly();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                kills++;
                // a kill before the run could finish: the next kill point may come later, so that kills also land
                // in the late steps of a run that takes longer than the last measured one
                window *= 1.25;
                CollapseState st = CollapseState.read(s3.client(), bucket, PREFIX, day.toString(), inputs)
                        .assertNothingLost();
                int uploads = s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads().size();
                killedAt.merge(st.outputs == 0 ? (!st.pendingManifests.isEmpty() ? "manifest written, output not completed"
                        : uploads > 0 ? "during the upload" : "before the upload")
                        : st.present == inputs.size() ? "output completed, no input deleted yet"
                        : st.present > 0 ? "between deletes" : "after the deletes", 1, Integer::sum);
                continue;
            }
            assertThat(p.exitValue()).as(Files.readString(log)).isZero();
            window = Math.max(0.5, (System.nanoTime() - marker) / 1e9 * 1.2);
            completeAndNext(bucket, day, inputs);
            completed++;
            day = day.plusDays(1);
            inputs = seed(bucket, day);
        }
        Path log = work.resolve("run-" + (++runs) + ".log");
        Process last = start(props, log, day);
        assertThat(last.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).as(Files.readString(log)).isZero();
        completeAndNext(bucket, day, inputs);
        completed++;
        System.out.printf("collapse kill -9 (seed %d): %d kills, %d runs, %d periods of %d inputs completed, no input"
                + " lost or in two outputs, no multipart upload left; kills by state %s; %.1f s%n", seed, kills, runs,
                completed, inputs.size(), killedAt, (System.nanoTime() - started) / 1e9);
        assertThat(kills).isEqualTo(KILLS);
    }

    private void completeAndNext(String bucket, LocalDate day, SortedMap<String, byte[]> inputs) {
        CollapseState.read(s3.client(), bucket, PREFIX, day.toString(), inputs)
                .assertComplete(s3.client(), bucket, inputs.size());
        CollapseState.dropOutputs(s3.client(), bucket, PREFIX, day.toString());
    }

    private Process start(Map<String, String> props, Path log, LocalDate day) throws Exception {
        return ChildJvm.start(work, log, props, s3.credentialsEnv(), "collapse", "--from", day.toString(), "--to",
                day.toString());
    }
}
