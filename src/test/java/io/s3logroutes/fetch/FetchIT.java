package io.s3logroutes.fetch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.s3logroutes.event.EventCodec;
import io.s3logroutes.event.LogEvent;
import io.s3logroutes.testing.App;
import io.s3logroutes.testing.FetchProps;
import io.s3logroutes.testing.TestS3;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The fetch route against a real S3 API server, started as the jar starts it. */
class FetchIT {

    static final DateTimeFormatter KEY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd/HH.mm.ss").withZone(ZoneOffset.UTC);
    static final Instant T0 = Instant.parse("2018-05-17T13:45:07Z");

    @TempDir
    Path dir;

    final TestS3 s3 = TestS3.shared();

    Map<String, String> props(String bucket, String prefix, Map<String, String> extra) {
        Map<String, String> m = FetchProps.under(s3, bucket, dir, prefix);
        m.put("s3logs.fetch.settle", "5m");
        m.putAll(extra);
        return m;
    }

    static String key(String server, Instant t, long seq, boolean gzip) {
        return server + "/" + KEY_TIME.format(t) + "-" + String.format("%06d", seq) + (gzip ? ".gz" : "");
    }

    static String legacyKey(String server, Instant t, long counter) {
        return server + "/" + KEY_TIME.format(t) + "-" + counter;
    }

    String checkpointKey() throws Exception {
        Path f = dir.resolve("lastkey.log");
        return Files.exists(f) ? Checkpoint.parse(Files.readString(f)).key().orElse("") : "";
    }

    byte[] output() throws Exception {
        Path f = dir.resolve("out.log");
        return Files.exists(f) ? Files.readAllBytes(f) : new byte[0];
    }

    void awaitCheckpoint(String key, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> checkpointKey().equals(key));
    }

    @Test
    void roundTripsEveryFormatCompressionAndObjectLayout() throws Exception {
        String bucket = s3.newBucket("fetch-rt");
        Random r = new Random(11);
        List<LogEvent> expectedFull = new ArrayList<>();
        List<LogEvent> expectedRaw = new ArrayList<>();
        Instant t = T0;
        String last = null;
        for (EventCodec.Format f : EventCodec.Format.values()) {
            for (boolean gz : new boolean[]{false, true}) {
                // batched objects, as ship writes them (padded counter)
                for (int seq = 1; seq <= 3; seq++) {
                    List<LogEvent> events = FetchObjects.events("h-" + f + gz, 1 + r.nextInt(40), r);
                    last = key("SERVER01", t, seq, gz);
                    FetchObjects.put(s3.client(), bucket, last, FetchObjects.body(events, f, gz), gz);
                    expectedFull.addAll(f != EventCodec.Format.RAW ? events : FetchObjects.rawOnly(events));
                    expectedRaw.addAll(events);
                }
                t = t.plusSeconds(1);
                // one-event objects of the NXLog script (unpadded counter, -10 sorts before -2)
                List<LogEvent> events = FetchObjects.events("nx-" + f + gz, 12, r);
                for (int c = 1; c <= 12; c++) {
                    LogEvent e = events.get(c - 1);
                    FetchObjects.put(s3.client(), bucket, legacyKey("SERVER01", t, c), FetchObjects.nxlogBody(e, f, gz), gz);
                    expectedFull.add(f != EventCodec.Format.RAW ? e : LogEvent.of(e.raw(), Map.of()));
                    expectedRaw.add(e);
                }
                last = legacyKey("SERVER01", t, 9);
                t = t.plusSeconds(1);
            }
        }
        FetchObjects.put(s3.client(), bucket, "SERVER02/2018-05-17/13.45.07-000001", "other server\n".getBytes(), false);

        Map<String, String> before = listing(bucket);
        try (App app = App.start(props(bucket, "SERVER01/", Map.of("s3logs.fetch.output-format", "json")))) {
            awaitCheckpoint(last, Duration.ofSeconds(60));
        }
        List<LogEvent> back = FetchObjects.parse(output());
        assertThat(back).hasSize(expectedFull.size());
        assertThat(back).containsExactlyElementsOf(expectedFull);

        Files.delete(dir.resolve("lastkey.log"));
        Files.delete(dir.resolve("out.log"));
        try (App app = App.start(props(bucket, "SERVER01/", Map.of("s3logs.fetch.output-format", "raw")))) {
            awaitCheckpoint(last, Duration.ofSeconds(60));
        }
        assertThat(output()).isEqualTo(FetchObjects.expected(expectedRaw, EventCodec.Format.RAW));
        assertThat(dir.resolve("failed.log")).doesNotExist();
        assertThat(listing(bucket)).as("fetch is read-only on S3").isEqualTo(before);
    }

    Map<String, String> listing(String bucket) {
        Map<String, String> m = new LinkedHashMap<>();
        s3.client().listObjectsV2Paginator(b -> b.bucket(bucket)).contents()
                .forEach(o -> m.put(o.key(), o.eTag() + " " + o.size() + " " + o.lastModified()));
        return m;
    }

    @Test
    void fetchRunsOnlyWhenEnabledOrInTheQuickStart() throws Exception {
        String bucket = s3.newBucket("fetch-off");
        FetchObjects.put(s3.client(), bucket, key("OFF", T0, 1, false), "x\n".getBytes(StandardCharsets.UTF_8), false);
        Map<String, String> p = props(bucket, "OFF/", Map.of());
        p.remove("s3logs.fetch.enabled");
        try (App app = App.start(p)) {
            assertThat(app.context().getRouteController().getRouteStatus("fetch-s3")).isEqualTo(ServiceStatus.Stopped);
            NotifyBuilder any = new NotifyBuilder(app.context()).fromRoute("fetch-s3").whenDone(1).create();
            assertThat(any.matches(1, TimeUnit.SECONDS)).isFalse();
        }
        assertThat(dir.resolve("out.log")).doesNotExist();
    }

    @Test
    void lateAndOutOfOrderLegacyKeysInsideTheSettleWindowAreAllRead() throws Exception {
        String bucket = s3.newBucket("fetch-late");
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<Long, byte[]> lines = new LinkedHashMap<>();
        for (long c = 1; c <= 12; c++) {
            lines.put(c, ("second T event " + c).getBytes(StandardCharsets.UTF_8));
        }
        byte[] early = "second T-1 event, landing last".getBytes(StandardCharsets.UTF_8);
        try (App app = App.start(props(bucket, "SRV/", Map.of("s3logs.fetch.settle", "4s",
                "s3logs.fetch.poll-interval", "100ms")))) {
            for (long c : new long[]{2, 11}) {
                FetchObjects.put(s3.client(), bucket, legacyKey("SRV", t, c), lines.get(c), false);
            }
            NotifyBuilder polls = new NotifyBuilder(app.context()).fromRoute("fetch-s3").whenDone(3).create();
            assertThat(polls.matches(10, TimeUnit.SECONDS)).isTrue();
            assertThat(output()).isEmpty();
            for (long c : new long[]{12, 10, 1, 5, 3, 4, 9, 8, 7, 6}) {
                FetchObjects.put(s3.client(), bucket, legacyKey("SRV", t, c), FetchObjects.gzip(lines.get(c)), true);
            }
            NotifyBuilder more = new NotifyBuilder(app.context()).fromRoute("fetch-s3").whenDone(3).create();
            assertThat(more.matches(10, TimeUnit.SECONDS)).isTrue();
            FetchObjects.put(s3.client(), bucket, legacyKey("SRV", t.minusSeconds(1), 1), early, false);
            assertThat(Duration.between(t, Instant.now())).as("all keys were written inside the settle window")
                    .isLessThan(Duration.ofSeconds(4));
            assertThat(output()).as("nothing is read before it settles").isEmpty();
            awaitCheckpoint(legacyKey("SRV", t, 9), Duration.ofSeconds(30));
        }
        StringBuilder want = new StringBuilder(new String(early, StandardCharsets.UTF_8)).append('\n');
        lines.values().forEach(l -> want.append(new String(l, StandardCharsets.UTF_8)).append('\n'));
        assertThat(new String(output(), StandardCharsets.UTF_8)).isEqualTo(want.toString());
    }

    @Test
    void fiveThousandObjectsOverSeveralPagesAndARestartContinuesAfterTheCheckpoint() throws Exception {
        String bucket = s3.newBucket("fetch-5000");
        int n = 5000;
        List<String> keys = new ArrayList<>();
        ByteArrayOutputStreamX expected = new ByteArrayOutputStreamX();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String k = key("BULK", T0.plusSeconds(i / 7), i % 7 + 1, false);
                byte[] body = ("object " + i + " line 1\nobject " + i + " line 2\n").getBytes(StandardCharsets.UTF_8);
                keys.add(k);
                expected.writeBytes(body);
                puts.add(pool.submit(() -> FetchObjects.put(s3.client(), bucket, k, body, false)));
            }
            for (Future<?> f : puts) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        long started = System.nanoTime();
        String stoppedAt;
        try (App app = App.start(props(bucket, "BULK/", Map.of()))) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                    .until(() -> checkpointKey().compareTo(keys.get(1500)) >= 0);
        }
        stoppedAt = checkpointKey();
        assertThat(stoppedAt).isLessThan(keys.get(n - 1));
        long firstRun = Files.size(dir.resolve("out.log"));
        try (App app = App.start(props(bucket, "BULK/", Map.of()))) {
            awaitCheckpoint(keys.get(n - 1), Duration.ofSeconds(180));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("fetch IT: %d objects in %.1f s (stopped after %s, %d bytes written by then)%n", n, seconds,
                stoppedAt, firstRun);
        assertThat(output()).isEqualTo(expected.toByteArray());
    }

    @Test
    void deletingTheCheckpointRereadsAndEditingItResumesAfterTheKey() throws Exception {
        String bucket = s3.newBucket("fetch-cp");
        List<String> keys = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            String k = key("CP", T0.plusSeconds(i), 1, false);
            keys.add(k);
            all.append("event ").append(i).append('\n');
            FetchObjects.put(s3.client(), bucket, k, ("event " + i + "\n").getBytes(StandardCharsets.UTF_8), false);
        }
        String last = keys.get(9);
        try (App app = App.start(props(bucket, "CP/", Map.of()))) {
            awaitCheckpoint(last, Duration.ofSeconds(30));
        }
        assertThat(new String(output(), StandardCharsets.UTF_8)).isEqualTo(all.toString());

        Files.delete(dir.resolve("lastkey.log"));
        try (App app = App.start(props(bucket, "CP/", Map.of()))) {
            awaitCheckpoint(last, Duration.ofSeconds(30));
        }
        assertThat(new String(output(), StandardCharsets.UTF_8)).isEqualTo(all.toString() + all);

        Files.writeString(dir.resolve("lastkey.log"), keys.get(6) + "\n");
        try (App app = App.start(props(bucket, "CP/", Map.of()))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(dir.resolve("lastkey.log"))
                    .startsWith(last + "\t"));
        }
        assertThat(new String(output(), StandardCharsets.UTF_8))
                .isEqualTo(all.toString() + all + "event 7\nevent 8\nevent 9\n");
    }

    @Test
    void badObjectsAreRecordedAndTheRouteKeepsRunning() throws Exception {
        String bucket = s3.newBucket("fetch-bad");
        byte[] corrupt = FetchObjects.gzip("some text\n".repeat(50).getBytes(StandardCharsets.UTF_8));
        for (int i = 12; i < corrupt.length - 8; i++) {
            corrupt[i] ^= 0x5a;
        }
        byte[] bomb = FetchObjects.gzip(new byte[64 << 20]);
        byte[] json = ("{\"raw_event\":\"fine\",\"Hostname\":\"h\"}\n{broken json\n").getBytes(StandardCharsets.UTF_8);
        String[] keys = {key("BAD", T0, 1, false), key("BAD", T0, 2, true), key("BAD", T0, 3, false),
                key("BAD", T0, 4, true), key("BAD", T0, 5, false), key("BAD", T0, 6, false)};
        FetchObjects.put(s3.client(), bucket, keys[0], "good 1\n".getBytes(StandardCharsets.UTF_8), false);
        FetchObjects.put(s3.client(), bucket, keys[1], corrupt, true);
        FetchObjects.put(s3.client(), bucket, keys[2], "good 2\n".getBytes(StandardCharsets.UTF_8), false);
        FetchObjects.put(s3.client(), bucket, keys[3], bomb, true);
        FetchObjects.put(s3.client(), bucket, keys[4], json, false);
        try (App app = App.start(props(bucket, "BAD/", Map.of("s3logs.fetch.max-object-bytes", "8MiB")))) {
            awaitCheckpoint(keys[4], Duration.ofSeconds(30));
            FetchObjects.put(s3.client(), bucket, keys[5], "good 3\n".getBytes(StandardCharsets.UTF_8), false);
            awaitCheckpoint(keys[5], Duration.ofSeconds(30));
            assertThat(app.context().getRouteController().getRouteStatus("fetch-s3")).isEqualTo(ServiceStatus.Started);
        }
        assertThat(new String(output(), StandardCharsets.UTF_8)).isEqualTo("good 1\ngood 2\nfine\n{broken json\ngood 3\n");
        List<String> rows = Files.readAllLines(dir.resolve("failed.log"));
        assertThat(rows).hasSize(3);
        String etag = s3.client().headObject(b -> b.bucket(bucket).key(keys[1])).eTag();
        assertThat(rows.get(0).split("\t")).hasSize(5).contains(keys[1], Integer.toString(corrupt.length), etag);
        assertThat(rows.get(0)).contains("gzip");
        assertThat(rows.get(1).split("\t")).contains(keys[3], Integer.toString(bomb.length));
        assertThat(rows.get(1)).contains("s3logs.fetch.max-object-bytes");
        assertThat(rows.get(2).split("\t")).contains(keys[4]);
        assertThat(rows.get(2)).contains("line 2 is not a JSON event");
    }

    @Test
    void onErrorStopStopsTheRouteBeforeTheBadObject() throws Exception {
        String bucket = s3.newBucket("fetch-stop");
        String[] keys = {key("STOP", T0, 1, false), key("STOP", T0, 2, true), key("STOP", T0, 3, false)};
        FetchObjects.put(s3.client(), bucket, keys[0], "good 1\n".getBytes(StandardCharsets.UTF_8), false);
        FetchObjects.put(s3.client(), bucket, keys[1], new byte[]{0x1f, (byte) 0x8b, 8, 0, 1, 2, 3}, true);
        FetchObjects.put(s3.client(), bucket, keys[2], "good 2\n".getBytes(StandardCharsets.UTF_8), false);
        try (App app = App.start(props(bucket, "STOP/", Map.of("s3logs.fetch.on-error", "stop")))) {
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    app.context().getRouteController().getRouteStatus("fetch-s3") == ServiceStatus.Stopped);
        }
        assertThat(checkpointKey()).isEqualTo(keys[0]);
        assertThat(new String(output(), StandardCharsets.UTF_8)).isEqualTo("good 1\n");
        assertThat(Files.readString(dir.resolve("failed.log"))).contains(keys[1]);
    }

    static final class ByteArrayOutputStreamX extends java.io.ByteArrayOutputStream {
    }
}
