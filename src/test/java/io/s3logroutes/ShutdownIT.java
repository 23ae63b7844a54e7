package io.s3logroutes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.s3logroutes.testing.ChildJvm;
import io.s3logroutes.testing.FaultProxy;
import io.s3logroutes.testing.S3Read;
import io.s3logroutes.testing.ShipProps;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM ({@link Process#destroy()}) while data is in flight: the application exits within
 * {@code camel.main.shutdown-timeout}, having flushed its batches and saved its offsets and checkpoints.
 */
class ShutdownIT {

    /** {@code camel.main.shutdown-timeout} of the runs, in seconds. */
    static final int SHUTDOWN_TIMEOUT = 20;
    /** Time a JVM takes beyond the routes' shutdown (services, S3 client, exit) on a loaded machine. */
    static final int EXIT_MARGIN = 15;

    @TempDir
    Path work;

    final TestS3 s3 = TestS3.shared();

    static String lines(String prefix, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(prefix).append(' ').append(i).append('\n');
        }
        return sb.toString();
    }

    void drop(String name, String content) throws IOException {
        Path in = Files.createDirectories(work.resolve("in"));
        Path tmp = work.resolve(name + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, in.resolve(name));
    }

    /** The batches being filled ({@code .open} files) in the spool. */
    static long openBatches(Path spool) throws IOException {
        if (!Files.isDirectory(spool)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(spool)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".open")).count();
        }
    }

    static long spoolBatches(Path spool) throws IOException {
        if (!Files.isDirectory(spool)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(spool)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".batch")).count();
        }
    }

    /** Seconds from SIGTERM to the exit of {@code p}. */
    static double stop(Process p) throws InterruptedException {
        long t0 = System.nanoTime();
        p.destroy();
        boolean exited = p.waitFor(SHUTDOWN_TIMEOUT + EXIT_MARGIN + 30, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(exited).as("exited %.1f s after SIGTERM", seconds).isTrue();
        return seconds;
    }

    @Test
    void sigtermFlushesBatchesAndSavesOffsetsAndTheFetchCheckpoint() throws Exception {
        String bucket = s3.newBucket("sigterm");
        // every S3 call takes 200 ms more: uploads and fetches are still going on when SIGTERM comes
        try (FaultProxy slow = new FaultProxy(s3.server().endpoint(), 1.0, 7)
                .kinds(List.of(FaultProxy.Fault.DELAY)).delay(Duration.ofMillis(200))) {
            Map<String, String> sys = new HashMap<>(s3.appProperties(bucket));
            sys.put("s3logs.s3.endpoint", slow.endpoint().toString());
            sys.putAll(ShipProps.under(work, "SERVER01"));
            Path tailed = Files.createDirectories(work.resolve("tail")).resolve("app.log");
            Files.writeString(tailed, "");
            sys.put("s3logs.ship.tail", tailed.toString());
            sys.put("s3logs.ship.tail-poll-interval", "100ms");
            sys.put("s3logs.ship.read-from-last", "false");
            sys.put("s3logs.ship.gzip", "false");
            sys.put("s3logs.ship.batch.max-events", "250");
            // no batch is sealed by age: the last tail batch is open until the shutdown seals it
            sys.put("s3logs.ship.batch.max-age", "1h");
            sys.put("s3logs.fetch.enabled", "true");
            sys.put("s3logs.fetch.prefix", "SERVER01/");
            sys.put("s3logs.fetch.initial-delay", "100ms");
            sys.put("s3logs.fetch.poll-interval", "300ms");
            // fetch may only read a key once every key before it is visible (docs/fetch.md, "Settle"): here a key
            // is visible about 0.5 s after ship names it (a put slot frees after one 200 ms PUT, then its own PUT),
            // and settle must cover that on a loaded machine too, with its pauses: 3 s is six times it
            sys.put("s3logs.fetch.settle", "3s");
            sys.put("s3logs.fetch.output-file", work.resolve("out/fetched.log").toString());
            sys.put("s3logs.fetch.checkpoint-file", work.resolve("lastkey.log").toString());
            sys.put("s3logs.fetch.failed-file", work.resolve("failed.log").toString());
            sys.put("camel.main.shutdown-timeout", String.valueOf(SHUTDOWN_TIMEOUT));
            Path log = work.resolve("app-output.log");
            Process p = ChildJvm.start(work, log, sys, s3.credentialsEnv());

            // batches of 250 events: while the 200 ms per call holds the uploads, batches wait in the spool
            String tail = lines("tailed line", 0, 3_100);   // and the late lines, appended below
            String a = lines("dropped a", 0, 4_000);
            String b = lines("dropped b", 0, 1_234);
            Files.writeString(tailed, tail, StandardOpenOption.APPEND);
            drop("a.log", a);
            drop("b.log", b);
            await().atMost(Duration.ofSeconds(120)).until(() -> Files.exists(work.resolve("done/a.log"))
                    && Files.exists(work.resolve("done/b.log")));
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(work.resolve("lastkey.log")));
            // Each dropped file's commit seals the open batches, and the uploads may all be done by now. One more
            // tailed line opens a batch that only the shutdown seals (were it the 250th of an open batch, that batch
            // is sealed at once: then the next line opens one).
            StringBuilder late = new StringBuilder();
            do {
                String line = "late line " + late.length() + "\n";
                late.append(line);
                Files.writeString(tailed, line, StandardOpenOption.APPEND);
                long size = Files.size(tailed);
                await().atMost(Duration.ofSeconds(30)).until(() -> openBatches(work.resolve("spool")) > 0
                        || (Files.exists(work.resolve("tail.json")) && tailOffset(work.resolve("tail.json")) == size));
            } while (openBatches(work.resolve("spool")) == 0);
            tail = tail + late;
            long total = tail.lines().count() + 4_000 + 1_234;
            long storedAtSigterm = S3Read.all(s3.client(), bucket).stream().mapToLong(o -> o.lines().size()).sum();

            double seconds = stop(p);
            String output = Files.readString(log);
            System.out.printf("ship+fetch: exit %.1f s after SIGTERM; %d of %d lines in S3 at SIGTERM%n", seconds,
                    storedAtSigterm, total);
            assertThat(seconds).as(output).isLessThan(SHUTDOWN_TIMEOUT + EXIT_MARGIN);
            assertThat(output).doesNotContain("Timeout occurred during graceful shutdown");
            // in flight at SIGTERM: the open batch at least, and usually batches waiting in the spool
            assertThat(storedAtSigterm).as("lines in S3 at SIGTERM").isLessThan(total);

            // every line is in S3, exactly once
            List<String> stored = new ArrayList<>();
            S3Read.all(s3.client(), bucket).forEach(o -> stored.addAll(o.lines()));
            List<String> expected = new ArrayList<>();
            for (String t : List.of(tail, a, b)) {
                expected.addAll(List.of(t.split("\n")));
            }
            assertThat(stored).as(output).containsExactlyInAnyOrderElementsOf(expected);
            // the tail offset is the file's size, the dropped files are done, the spool is empty
            assertThat(tailOffset(work.resolve("tail.json"))).isEqualTo(Files.size(tailed));
            assertThat(work.resolve("done/a.log")).hasContent(a.substring(0, a.length() - 1));
            assertThat(work.resolve("done/b.log")).exists();
            assertThat(work.resolve("in/a.log")).doesNotExist();
            assertThat(spoolBatches(work.resolve("spool"))).isZero();
            try (Stream<Path> s = Files.list(work.resolve("spool"))) {
                assertThat(s.map(x -> x.getFileName().toString())).as("spool files").isEmpty();
            }

            // the fetch checkpoint names the last key in the output: the output is exactly the objects up to it
            String[] checkpoint = Files.readString(work.resolve("lastkey.log")).trim().split("\t");
            String lastKey = checkpoint[0];
            StringBuilder upTo = new StringBuilder();
            for (S3Read.Obj o : S3Read.all(s3.client(), bucket)) {
                if (o.key().compareTo(lastKey) <= 0) {
                    upTo.append(o.text());
                }
            }
            byte[] fetched = Files.readAllBytes(work.resolve("out/fetched.log"));
            assertThat(Long.parseLong(checkpoint[1])).isEqualTo(fetched.length);
            assertThat(new String(fetched, StandardCharsets.UTF_8)).as("the objects up to %s, with LastModified: %s",
                    lastKey, lastModified(bucket, lastKey)).isEqualTo(upTo.toString());
            assertThat(S3Read.keys(s3.client(), bucket)).contains(lastKey);
        }
    }

    /** The keys up to {@code lastKey} with their LastModified, to tell a late object from a wrong read. */
    List<String> lastModified(String bucket, String lastKey) {
        return s3.client().listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream()
                .filter(o -> o.key().compareTo(lastKey) <= 0).map(o -> o.key() + " " + o.lastModified()).toList();
    }

    static long tailOffset(Path state) throws IOException {
        Matcher m = Pattern.compile("\"offset\" : (\\d+)").matcher(Files.readString(state));
        assertThat(m.find()).as("an offset in " + state).isTrue();
        return Long.parseLong(m.group(1));
    }
}
