package io.s3logroutes.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.s3logroutes.embedded.EmbeddedS3Server;
import io.s3logroutes.testing.FetchProps;
import io.s3logroutes.testing.RecipeRun;
import io.s3logroutes.testing.S3Read;
import io.s3logroutes.testing.ShipProps;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The ship recipes of examples/recipes, each run from its own folder with the runnable jar against S3Proxy. */
class ShipRecipesIT {

    static final TestS3 S3 = TestS3.shared();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    Map<String, String> props(String bucket) {
        Map<String, String> p = new HashMap<>(S3.appProperties(bucket));
        p.putAll(ShipProps.under(work, "SERVER01"));
        p.put("s3logs.ship.gzip", "false");
        p.put("s3logs.ship.batch.max-age", "500ms");
        p.put("s3logs.ship.flush-check-interval", "100ms");
        p.remove("s3logs.http.port");
        return p;
    }

    void drop(String name, String content) throws Exception {
        Path in = Files.createDirectories(work.resolve("in"));
        Path tmp = work.resolve(name + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, in.resolve(name));
    }

    @Test
    void dropDebugShipsEveryLineButTheDebugOnesAndCountsTheDropped() throws Exception {
        String bucket = S3.newBucket("recipe-drop-debug");
        StringBuilder lines = new StringBuilder();
        int debug = 0;
        for (int i = 0; i < 3000; i++) {
            boolean d = i % 3 == 1;
            debug += d ? 1 : 0;
            lines.append("2026-11-24 ").append(d ? "DEBUG" : "INFO").append(" line ").append(i).append('\n');
        }
        int dropped = debug;
        try (RecipeRun run = RecipeRun.start("drop-debug", work.resolve("recipe"), props(bucket), S3.credentialsEnv())) {
            drop("app.log", lines.toString());
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(work.resolve("done/app.log")));
            // an object being uploaded can be listed before it can be read: such a read is tried again
            await().ignoreExceptionsInstanceOf(NoSuchKeyException.class).atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(S3Read.lines(S3.client(), bucket)).hasSize(3000 - dropped));
            List<String> stored = S3Read.lines(S3.client(), bucket);
            assertThat(stored).noneMatch(l -> l.contains("DEBUG")).contains("2026-11-24 INFO line 0",
                    "2026-11-24 INFO line 2999");
            assertThat(run.metric("s3logs_events_dropped_total{input=\"ship-file\"}")).isEqualTo(dropped);
            assertThat(run.metric("s3logs_ship_events_in_total{input=\"ship-file\"}")).isEqualTo(3000 - dropped);
        }
    }

    @Test
    void addFieldPutsEnvOnEveryEventAndFetchRestoresIt() throws Exception {
        String bucket = S3.newBucket("recipe-add-field");
        Map<String, String> p = props(bucket);
        p.putAll(FetchProps.under(work, "SERVER01/"));
        p.put("s3logs.fetch.settle", "1s");
        try (RecipeRun run = RecipeRun.start("add-field", work.resolve("recipe"), p, S3.credentialsEnv())) {
            drop("app.log", "first line\nsecond line\n");
            await().ignoreExceptionsInstanceOf(NoSuchKeyException.class).atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(S3Read.lines(S3.client(), bucket)).hasSize(2));
            for (String line : S3Read.lines(S3.client(), bucket)) {
                Map<?, ?> event = JSON.readValue(line, Map.class);
                assertThat(event.get("env")).as(line).isEqualTo("prod");
                assertThat(event.get("SourceModuleName")).isEqualTo("ship-file");
            }
            Path fetched = work.resolve("out.log");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(fetched).exists();
                assertThat(Files.readAllLines(fetched)).hasSize(2);
            });
            List<String> out = Files.readAllLines(fetched);
            assertThat(out).extracting(l -> JSON.readValue(l, Map.class).get("raw_event"))
                    .containsExactly("first line", "second line");
            assertThat(out).allSatisfy(l -> assertThat(JSON.readValue(l, Map.class).get("env")).isEqualTo("prod"));
        }
    }

    /** A syslog message of {@code severity} (facility user): RFC 3164 with the id and severity in its text. */
    static String syslog(int severity, String id) {
        return "<" + (8 + severity) + ">Nov 24 10:20:30 host01 app[42]: " + id + " sev=" + severity;
    }

    Map<String, String> syslogProps(String bucket, int udpPort, int tcpPort) {
        Map<String, String> p = props(bucket);
        p.put("s3logs.syslog.enabled", "true");
        p.put("s3logs.syslog.udp-port", Integer.toString(udpPort));
        p.put("s3logs.syslog.tcp-port", Integer.toString(tcpPort));
        // the urgent lane and the usual one are sealed together, several times over
        p.put("s3logs.ship.batch.max-events", "50");
        return p;
    }

    /** Sends {@code n} newline-framed messages over TCP, severities 0 to 7 in turn, once the route listens. */
    static void sendTcp(int port, String prefix, int n, Map<String, Integer> sent) throws Exception {
        Socket tcp = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> new Socket(InetAddress.getLoopbackAddress(), port),
                        java.util.Objects::nonNull);
        try (tcp; OutputStream out = tcp.getOutputStream()) {
            StringBuilder frames = new StringBuilder();
            for (int i = 0; i < n; i++) {
                frames.append(syslog(i % 8, prefix + i)).append('\n');
                sent.put(prefix + i, i % 8);
            }
            out.write(frames.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    /**
     * Every object's key is of the urgent pattern or of the usual one; the lines of severity 0 to 3 are under the
     * first only, every other line (syslog of severity 4 to 7, {@code fileLines} of files) under the second only, and
     * each line is stored exactly once.
     */
    static void assertSplit(S3Client s3, String bucket, Map<String, Integer> sent, List<String> fileLines) {
        Map<String, String> keyOf = new HashMap<>();
        int urgentObjects = 0;
        for (S3Read.Obj o : S3Read.all(s3, bucket)) {
            boolean urgent = o.key().startsWith("urgent/");
            assertThat(o.key()).matches((urgent ? "urgent/" : "")
                    + "SERVER01/\\d{4}-\\d{2}-\\d{2}/\\d{2}\\.\\d{2}\\.\\d{2}-\\d{6}");
            urgentObjects += urgent ? 1 : 0;
            for (String line : o.lines()) {
                String id = line.startsWith("<") ? line.substring(line.indexOf(": ") + 2, line.indexOf(" sev="))
                        : line.substring(0, line.indexOf(' '));
                assertThat(keyOf.put(id, o.key())).as("%s stored once, again in %s", id, o.key()).isNull();
                if (fileLines.contains(id)) {
                    assertThat(urgent).as("a file's line %s under %s", id, o.key()).isFalse();
                } else {
                    assertThat(sent).as("sent").containsKey(id);
                    assertThat(urgent).as("%s (severity %d) under %s", id, sent.get(id), o.key())
                            .isEqualTo(sent.get(id) <= 3);
                }
            }
        }
        assertThat(keyOf.keySet()).containsAll(sent.keySet()).containsAll(fileLines)
                .hasSize(sent.size() + fileLines.size());
        assertThat(urgentObjects).as("objects under urgent/").isPositive();
    }

    @Test
    void severitySplitStoresSeverities0To3UnderTheUrgentPatternAndTheOthersUnderTheUsualOne() throws Exception {
        String bucket = S3.newBucket("recipe-severity-split");
        int udpPort = EmbeddedS3Server.freePort();
        int tcpPort = EmbeddedS3Server.freePort();
        Map<String, Integer> sent = new HashMap<>();
        try (RecipeRun run = RecipeRun.start("severity-split", work.resolve("recipe"),
                syslogProps(bucket, udpPort, tcpPort), S3.credentialsEnv())) {
            sendTcp(tcpPort, "tcp-", 400, sent);
            try (DatagramSocket udp = new DatagramSocket()) {
                for (int i = 0; i < 16; i++) {
                    byte[] d = syslog(i % 8, "udp-" + i).getBytes(StandardCharsets.UTF_8);
                    udp.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), udpPort));
                    sent.put("udp-" + i, i % 8);
                }
            }
            drop("app.log", "file-0 a line of a file\nfile-1 another\n");
            int expected = sent.size() + 2;
            await().ignoreExceptionsInstanceOf(NoSuchKeyException.class).atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(S3Read.lines(S3.client(), bucket)).hasSize(expected));
            assertSplit(S3.client(), bucket, sent, List.of("file-0", "file-1"));
            assertThat(run.metric("s3logs_ship_events_in_total{input=\"ship-syslog-tcp\"}")).isEqualTo(400);
        }
    }

    /**
     * S3 is down while the recipe spools both lanes; a kill -9, S3 back, a new process on the same spool: every batch
     * goes under the key pattern it was sealed with.
     */
    @Test
    void severitySplitBatchesLeftInTheSpoolByAKillKeepTheirKeyPattern() throws Exception {
        try (TestS3 own = TestS3.start(EmbeddedS3Server.Storage.FILESYSTEM, work.resolve("s3"))) {
            String bucket = own.newBucket("recipe-severity-kill");
            int udpPort = EmbeddedS3Server.freePort();
            int tcpPort = EmbeddedS3Server.freePort();
            Map<String, String> p = new HashMap<>(syslogProps(bucket, udpPort, tcpPort));
            p.putAll(own.appProperties(bucket));
            p.remove("s3logs.http.port");
            p.put("s3logs.ship.retry-initial-delay", "200ms");
            p.put("s3logs.ship.retry-max-delay", "1s");
            p.put("s3logs.s3.call-attempt-timeout", "2s");
            // one upload at a time: most batches are still without a key (saved beside them) at the kill, so their
            // pattern can only come from their spool names
            p.put("s3logs.ship.concurrency", "1");
            p.put("s3logs.ship.batch.max-events", "20");
            Map<String, Integer> sent = new HashMap<>();
            Path spool = work.resolve("spool");
            RecipeRun first = RecipeRun.start("severity-split", work.resolve("recipe"), p, own.credentialsEnv());
            try {
                // the TCP route starts last: once it listens, the application is up (its bucket check passed)
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .untilAsserted(() -> new Socket(InetAddress.getLoopbackAddress(), tcpPort).close());
                own.stopServer();
                sendTcp(tcpPort, "kill-", 200, sent);
                // every event sealed into the spool, none uploaded: S3 is down
                await().atMost(Duration.ofSeconds(60))
                        .untilAsserted(() -> assertThat(spooledLines(spool)).isEqualTo(200));
                assertThat(spoolNames(spool)).anyMatch(n -> n.contains(".k")).anyMatch(n -> !n.contains(".k"))
                        .anyMatch(n -> n.contains(".k") && !Files.exists(spool.resolve(n + ".key")));
            } finally {
                first.kill();
            }
            own.restart();
            try (RecipeRun second = RecipeRun.start("severity-split", work.resolve("recipe2"), p,
                    own.credentialsEnv())) {
                await().ignoreExceptionsInstanceOf(NoSuchKeyException.class).atMost(Duration.ofSeconds(90))
                        .untilAsserted(() -> assertThat(S3Read.lines(own.client(), bucket)).hasSize(200));
                assertSplit(own.client(), bucket, sent, List.of());
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(spoolNames(spool)).isEmpty());
            }
        }
    }

    static List<String> spoolNames(Path spool) throws Exception {
        try (Stream<Path> s = Files.list(spool)) {
            return s.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".batch")).sorted().toList();
        }
    }

    static long spooledLines(Path spool) throws Exception {
        long n = 0;
        for (String name : spoolNames(spool)) {
            n += Files.readAllLines(spool.resolve(name)).size();
        }
        return n;
    }
}
