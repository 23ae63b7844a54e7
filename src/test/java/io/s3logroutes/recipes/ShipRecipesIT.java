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

import com.fasterxml.jackson.databind.ObjectMapper;
import io.s3logroutes.embedded.EmbeddedS3Server;
import io.s3logroutes.testing.FetchProps;
import io.s3logroutes.testing.RecipeRun;
import io.s3logroutes.testing.S3Read;
import io.s3logroutes.testing.ShipProps;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

    /** A syslog message of {@code severity} (facility user), one line: RFC 3164 with the id and severity in its text. */
    static String syslog(int severity, String id) {
        return "<" + (8 + severity) + ">Nov 24 10:20:30 host01 app[42]: " + id + " sev=" + severity;
    }

    @Test
    void severitySplitStoresSeverities0To3UnderTheUrgentPatternAndTheOthersUnderTheUsualOne() throws Exception {
        String bucket = S3.newBucket("recipe-severity-split");
        int udpPort = EmbeddedS3Server.freePort();
        int tcpPort = EmbeddedS3Server.freePort();
        Map<String, String> p = props(bucket);
        p.put("s3logs.syslog.enabled", "true");
        p.put("s3logs.syslog.udp-port", Integer.toString(udpPort));
        p.put("s3logs.syslog.tcp-port", Integer.toString(tcpPort));
        // the urgent lane and the usual one are sealed together, several times over
        p.put("s3logs.ship.batch.max-events", "50");
        Map<String, Integer> sent = new HashMap<>();
        try (RecipeRun run = RecipeRun.start("severity-split", work.resolve("recipe"), p, S3.credentialsEnv())) {
            Socket tcp = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions().until(() -> new Socket(InetAddress.getLoopbackAddress(), tcpPort),
                            java.util.Objects::nonNull);
            try (tcp; OutputStream out = tcp.getOutputStream()) {
                StringBuilder frames = new StringBuilder();
                for (int i = 0; i < 400; i++) {
                    int sev = i % 8;
                    frames.append(syslog(sev, "tcp-" + i)).append('\n');
                    sent.put("tcp-" + i, sev);
                }
                out.write(frames.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
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

            Map<String, String> keyOf = new HashMap<>();
            int urgentObjects = 0;
            for (S3Read.Obj o : S3Read.all(S3.client(), bucket)) {
                boolean urgent = o.key().startsWith("urgent/");
                assertThat(o.key()).matches((urgent ? "urgent/" : "")
                        + "SERVER01/\\d{4}-\\d{2}-\\d{2}/\\d{2}\\.\\d{2}\\.\\d{2}-\\d{6}");
                urgentObjects += urgent ? 1 : 0;
                for (String line : o.lines()) {
                    String id = line.contains("file-") ? line.substring(0, line.indexOf(' '))
                            : line.substring(line.indexOf(": ") + 2, line.indexOf(" sev="));
                    assertThat(keyOf.put(id, o.key())).as("%s stored once, again in %s", id, o.key()).isNull();
                    if (id.startsWith("file-")) {
                        assertThat(urgent).as("a file's line %s under %s", id, o.key()).isFalse();
                    } else {
                        assertThat(urgent).as("%s (severity %d) under %s", id, sent.get(id), o.key())
                                .isEqualTo(sent.get(id) <= 3);
                    }
                }
            }
            assertThat(keyOf.keySet()).containsAll(sent.keySet()).contains("file-0", "file-1").hasSize(expected);
            assertThat(urgentObjects).as("objects under urgent/").isPositive();
            assertThat(run.metric("s3logs_ship_events_in_total{input=\"ship-syslog-tcp\"}")).isEqualTo(400);
        }
    }
}
