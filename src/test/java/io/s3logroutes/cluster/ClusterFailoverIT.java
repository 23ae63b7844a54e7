package io.s3logroutes.cluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.s3logroutes.fetch.Checkpoint;
import io.s3logroutes.testing.ChildJvm;
import io.s3logroutes.testing.S3Read;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the application (child JVMs) with {@code s3logs.cluster.kind=file} share a lock directory, the
 * fetch output and its checkpoint. Only the elected one fetches and collapses; after kill -9 of that one the other
 * takes over within 30 seconds, the output holds every event exactly once in key order, and every collapsed period
 * has exactly one output.
 */
class ClusterFailoverIT {

    static final DateTimeFormatter KEY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd/HH.mm.ss").withZone(ZoneOffset.UTC);
    static final Pattern FETCHED = Pattern.compile("(?m)Fetch: (F/\\S+) -> ");
    static final Pattern COLLAPSED = Pattern.compile("objects, \\d+ bytes -> (CO/\\S+_collapsed[^,;\\s]*)");

    @TempDir
    Path work;

    final TestS3 s3 = TestS3.shared();
    final List<String> expected = new ArrayList<>();
    int objects;

    @Test
    void onlyTheLeaderFetchesAndCollapsesAndTheOtherTakesOverAfterKill9() throws Exception {
        String bucket = s3.newBucket("cluster");
        Path shared = work.resolve("shared");
        Map<String, String> props = new LinkedHashMap<>(s3.appProperties(bucket));
        props.put("s3logs.cluster.kind", "file");
        props.put("s3logs.cluster.lock-dir", shared.resolve("locks").toString());
        props.put("s3logs.cluster.heartbeat-interval", "500ms");
        props.put("s3logs.cluster.leader-timeout", "3s");
        props.put("s3logs.fetch.enabled", "true");
        props.put("s3logs.fetch.prefix", "F/");
        props.put("s3logs.fetch.initial-delay", "10ms");
        props.put("s3logs.fetch.poll-interval", "200ms");
        props.put("s3logs.fetch.max-keys", "7");
        props.put("s3logs.fetch.settle", "3s"); // see NowKeys
        props.put("s3logs.fetch.output-file", shared.resolve("out/fetched.log").toString());
        props.put("s3logs.fetch.checkpoint-file", shared.resolve("lastkey.log").toString());
        props.put("s3logs.fetch.failed-file", shared.resolve("failed.log").toString());
        props.putAll(io.s3logroutes.testing.CollapseProps.scheduled("C/", "s3logs.collapse.layout", "ship",
                "s3logs.collapse.output-prefix", "CO/", "s3logs.collapse.increment", "M",
                "s3logs.collapse.grace", "5s", "s3logs.collapse.lookback", "40m"));
        props.put("s3logs.quickstart.report-interval", "1h");
        // each fetched object's line (DEBUG), which FETCHED reads
        props.put("s3logs.log.level.io.s3logroutes.fetch", "DEBUG");

        // minute periods well in the past (collapsible at once), three objects each, written before any instance runs
        Instant base = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(15, ChronoUnit.MINUTES);
        List<Instant> firstPeriods = List.of(base, base.plus(1, ChronoUnit.MINUTES), base.plus(2, ChronoUnit.MINUTES));
        for (Instant p : firstPeriods) {
            for (int i = 0; i < 3; i++) {
                putCollapseInput(bucket, p.plusSeconds(5 + 10L * i), i + 1);
            }
        }
        String lastKey = last(putFetchObjects(bucket, 30));

        Path logA = work.resolve("a.log");
        Path logB = work.resolve("b.log");
        Process a = ChildJvm.start(work, logA, withNode(props, "node-a"), s3.credentialsEnv());
        Process b = null;
        try {
            // A alone: it becomes the leader of both elections, fetches the first objects and collapses the periods
            String k1 = lastKey;
            // generous limits for the starts of the JVMs: a loaded machine takes a minute or more
            await().atMost(Duration.ofSeconds(150)).until(() -> !a.isAlive() || k1.equals(checkpointKey(shared)));
            assertThat(a.isAlive()).as("A alive; see " + logA).isTrue();
            await().atMost(Duration.ofSeconds(60)).until(() -> collapsedOutputs(bucket).size() == firstPeriods.size());

            // B joins; A keeps both flows, B does neither
            b = ChildJvm.start(work, logB, withNode(props, "node-b"), s3.credentialsEnv());
            Process bb = b;
            // both elections of B have started (FileLockClusterView logs its first wait)
            await().atMost(Duration.ofSeconds(150)).until(() -> !bb.isAlive()
                    || count(read(logB), "initial cluster leadership acquisition") >= 2);
            assertThat(b.isAlive()).as("B alive; see " + logB).isTrue();
            lastKey = last(putFetchObjects(bucket, 40));
            String k2 = lastKey;
            await().atMost(Duration.ofSeconds(60)).until(() -> k2.equals(checkpointKey(shared)));
            int runsOfA = count(read(logA), "collapse run done");
            await().atMost(Duration.ofSeconds(60)).until(() -> count(read(logA), "collapse run done") >= runsOfA + 2);
            assertThat(fetched(read(logB))).as("B fetched nothing while A leads").isEmpty();
            assertThat(count(read(logB), "collapse run done")).as("B ran no collapse while A leads").isZero();

            // more objects, and kill -9 A while it fetches them
            List<String> third = putFetchObjects(bucket, 60);
            String first3 = third.get(0);
            await().atMost(Duration.ofSeconds(60)).until(() -> checkpointKey(shared).compareTo(first3) >= 0);
            a.destroyForcibly();
            assertThat(a.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long killed = System.nanoTime();
            String killedAt = checkpointKey(shared);

            // objects written after the kill, and new collapse periods (one object each: a single PUT, no late part)
            String k3 = last(putFetchObjects(bucket, 20));
            List<Instant> laterPeriods = List.of(base.plus(4, ChronoUnit.MINUTES), base.plus(5, ChronoUnit.MINUTES));
            for (Instant p : laterPeriods) {
                putCollapseInput(bucket, p.plusSeconds(30), 1);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> read(logB).contains("Fetch: s3://"));
            double takeover = (System.nanoTime() - killed) / 1e9;
            await().atMost(Duration.ofSeconds(60)).until(() -> k3.equals(checkpointKey(shared)));
            double caughtUp = (System.nanoTime() - killed) / 1e9;
            await().atMost(Duration.ofSeconds(60)).until(() -> collapsedOutputs(bucket).size()
                    == firstPeriods.size() + laterPeriods.size());
            int runsOfB = count(read(logB), "collapse run done");
            await().atMost(Duration.ofSeconds(60)).until(() -> count(read(logB), "collapse run done") >= runsOfB + 2);
            System.out.printf("cluster failover IT: A fetched %d objects (checkpoint %s at the kill), B took over"
                            + " fetch %.1f s after kill -9 and caught up at %.1f s; B fetched %d objects; %d events"
                            + " in the output; collapse outputs %s%n", fetched(read(logA)).size(), killedAt, takeover,
                    caughtUp, fetched(read(logB)).size(), expected.size(), collapsedOutputs(bucket));

            assertThat(takeover).as("B fetches within 30 s of the kill").isLessThan(30.0);
            List<String> out = Files.readAllLines(shared.resolve("out/fetched.log"), StandardCharsets.UTF_8);
            assertThat(out).as("every event exactly once, in key order").containsExactlyElementsOf(expected);
            assertThat(fetched(read(logB))).as("B read what A had not committed, and everything after").isNotEmpty()
                    .allSatisfy(k -> assertThat(k.compareTo(killedAt)).isPositive());
            Map<String, List<String>> outputs = collapsedOutputs(bucket);
            assertThat(outputs.values()).as("one output per period, no second output (" + outputs + ")")
                    .allSatisfy(v -> assertThat(v).hasSize(1));
            assertThat(S3Read.keys(s3.client(), bucket).stream().filter(k -> k.startsWith("C/")))
                    .as("every input collapsed and deleted").isEmpty();
            assertThat(collapsedByLog(read(logA))).as("A collapsed the first periods").hasSize(firstPeriods.size());
            assertThat(collapsedByLog(read(logB))).as("B collapsed only the later periods")
                    .hasSize(laterPeriods.size());
            assertThat(shared.resolve("failed.log")).doesNotExist();
        } finally {
            keepLogs(logA, logB);
            a.destroyForcibly();
            if (b != null) {
                b.destroy();
                assertThat(b.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    /** The children's logs outlive the temporary directory, for a look after a failure. */
    private static void keepLogs(Path... logs) throws Exception {
        Path dir = Path.of("target", "cluster-failover-it");
        Files.createDirectories(dir);
        for (Path l : logs) {
            if (Files.exists(l)) {
                Files.copy(l, dir.resolve(l.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static Map<String, String> withNode(Map<String, String> props, String node) {
        Map<String, String> m = new LinkedHashMap<>(props);
        m.put("s3logs.cluster.node-id", node);
        return m;
    }

    private static String last(List<String> keys) {
        return keys.get(keys.size() - 1);
    }

    private final NowKeys nowKeys = new NowKeys();

    /** Raw objects of 1 to 4 lines under ship's key layout, timed when they are written; returns their keys. */
    private List<String> putFetchObjects(String bucket, int n) {
        S3Client c = s3.client();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = nowKeys.next();
            keys.add(key);
            StringBuilder body = new StringBuilder();
            int o = ++objects;
            for (int j = 0; j < 1 + o % 4; j++) {
                String line = "object " + o + " line " + j;
                body.append(line).append('\n');
                expected.add(line);
            }
            c.putObject(r -> r.bucket(bucket).key(key).contentType("text/plain"),
                    RequestBody.fromString(body.toString(), StandardCharsets.UTF_8));
        }
        return keys;
    }


    private void putCollapseInput(String bucket, Instant t, int seq) {
        String k = "C/SRV/" + KEY_TIME.format(t) + "-" + String.format("%06d", seq);
        s3.client().putObject(r -> r.bucket(bucket).key(k).contentType("text/plain"),
                RequestBody.fromString("collapse input " + k + "\n", StandardCharsets.UTF_8));
    }

    /** Collapse outputs by period: {@code CO/SRV/2026-11-22-04-31_collapsed} and its numbered followers. */
    private Map<String, List<String>> collapsedOutputs(String bucket) {
        Map<String, List<String>> m = new TreeMap<>();
        for (String k : S3Read.keys(s3.client(), bucket)) {
            if (k.startsWith("CO/") && k.contains("_collapsed") && !k.endsWith(".manifest.json")) {
                m.computeIfAbsent(k.substring(0, k.indexOf("_collapsed")), x -> new ArrayList<>()).add(k);
            }
        }
        return m;
    }

    private static List<String> fetched(String log) {
        List<String> keys = new ArrayList<>();
        Matcher m = FETCHED.matcher(log);
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    private static List<String> collapsedByLog(String log) {
        List<String> keys = new ArrayList<>();
        Matcher m = COLLAPSED.matcher(log);
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static String read(Path log) throws Exception {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return "";
        }
    }

    private static String checkpointKey(Path shared) throws Exception {
        try {
            return Checkpoint.parse(Files.readString(shared.resolve("lastkey.log"))).key().orElse("");
        } catch (NoSuchFileException e) {
            return "";
        }
    }
}
