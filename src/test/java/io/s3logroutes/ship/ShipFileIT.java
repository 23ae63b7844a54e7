package io.s3logroutes.ship;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.s3logroutes.event.EventCodec;
import io.s3logroutes.event.LogEvent;
import io.s3logroutes.testing.App;
import io.s3logroutes.testing.S3Read;
import io.s3logroutes.testing.ShipProps;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The drop-directory input against a real S3 API. */
class ShipFileIT {

    @TempDir
    Path work;

    final TestS3 s3 = TestS3.shared();

    Map<String, String> props(String bucket) {
        Map<String, String> p = new HashMap<>(s3.appProperties(bucket));
        p.putAll(ShipProps.under(work, "SERVER01"));
        return p;
    }

    Path drop(String name, byte[] content) throws IOException {
        Path tmp = work.resolve(name + ".tmp");
        Files.write(tmp, content);
        Path in = Files.createDirectories(work.resolve("in"));
        return Files.move(tmp, in.resolve(name));
    }

    static List<String> numbered(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "line " + i + " of the test log, status=200").toList();
    }

    @Test
    void nxlogModeWritesOneObjectPerEventWithPaddedKeys() throws Exception {
        String bucket = s3.newBucket("nxlog");
        Map<String, String> p = props(bucket);
        p.put("s3logs.ship.batch.max-events", "1");
        p.put("s3logs.ship.gzip", "false");
        p.put("s3logs.ship.concurrency", "8");
        List<String> lines = numbered(1000);
        try (App app = App.start(p)) {
            drop("app.log", (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(work.resolve("done/app.log")));
            await().atMost(Duration.ofSeconds(90)).until(() -> S3Read.keys(s3.client(), bucket).size() >= 1000);
        }
        List<S3Read.Obj> objs = S3Read.all(s3.client(), bucket);
        assertThat(objs).hasSize(1000);
        assertThat(objs).allSatisfy(o -> {
            assertThat(o.key()).matches("^SERVER01/\\d{4}-\\d{2}-\\d{2}/\\d{2}\\.\\d{2}\\.\\d{2}-\\d{6}$");
            assertThat(o.lines()).hasSize(1);
            assertThat(o.contentType()).startsWith("text/plain");
        });
        assertThat(objs.stream().flatMap(o -> o.lines().stream()).sorted().toList())
                .isEqualTo(lines.stream().sorted().toList());
        assertThat(Files.list(work.resolve("spool")).toList()).isEmpty();
    }

    @Test
    void batchedJsonGzipHoldsEveryFieldInOrder() throws Exception {
        String bucket = s3.newBucket("json");
        Map<String, String> p = props(bucket);
        p.put("s3logs.ship.format", "json");
        p.put("s3logs.ship.gzip", "true");
        p.put("s3logs.ship.batch.max-events", "700");
        List<String> lines = numbered(2000);
        Path file;
        try (App app = App.start(p)) {
            file = drop("batch.log", (String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(work.resolve("done/batch.log")));
            await().atMost(Duration.ofSeconds(60)).until(() -> S3Read.keys(s3.client(), bucket).size() == 3);
        }
        List<S3Read.Obj> objs = S3Read.all(s3.client(), bucket);
        assertThat(objs).extracting(S3Read.Obj::key).allMatch(k -> k.matches("^SERVER01/.*-\\d{6}\\.gz$"));
        assertThat(objs).allSatisfy(o -> {
            assertThat(o.isGzip()).isTrue();
            assertThat(o.contentEncoding()).isEqualTo("gzip");
            assertThat(o.contentType()).isEqualTo("application/x-ndjson");
        });
        assertThat(objs.get(0).lines()).hasSize(700);
        List<LogEvent> events = new ArrayList<>();
        for (String l : S3Read.lines(s3.client(), bucket)) {
            events.add(EventCodec.fromJson(l));
        }
        assertThat(events).extracting(LogEvent::rawText).containsExactlyElementsOf(lines);
        LogEvent first = events.get(0);
        assertThat(first.fields()).containsEntry("SourceModuleName", "ship-file")
                .containsEntry("SourceModuleType", "file")
                .containsEntry("FileName", work.resolve("in/batch.log").toAbsolutePath().toString())
                .containsKeys("EventReceivedTime", "Hostname");
        assertThat(java.time.Instant.parse((String) first.fields().get("EventReceivedTime"))).isNotNull();
    }

    @Test
    void badInputIsShippedNotDropped() throws Exception {
        String bucket = s3.newBucket("bad");
        Map<String, String> p = props(bucket);
        p.put("s3logs.ship.format", "json");
        p.put("s3logs.ship.gzip", "false");
        p.put("s3logs.ship.max-line-bytes", "1KiB");
        byte[] invalid = {'b', 'a', 'd', ' ', (byte) 0xC3, (byte) 0x28, '!', '\n'};
        String longLine = "L".repeat(2500);
        try (App app = App.start(p)) {
            drop("empty.log", new byte[0]);
            drop("invalid.log", invalid);
            drop("long.log", (longLine + "\n").getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(work.resolve("done/empty.log"))
                    && Files.exists(work.resolve("done/invalid.log")) && Files.exists(work.resolve("done/long.log")));
            await().atMost(Duration.ofSeconds(30)).until(() -> S3Read.keys(s3.client(), bucket).size() == 2);
        }
        List<LogEvent> events = new ArrayList<>();
        for (String l : S3Read.lines(s3.client(), bucket)) {
            events.add(EventCodec.fromJson(l));
        }
        LogEvent bad = events.stream().filter(e -> e.fields().get("FileName").toString().endsWith("invalid.log"))
                .findFirst().orElseThrow();
        assertThat(bad.raw()).containsExactly(java.util.Arrays.copyOf(invalid, invalid.length - 1));
        List<LogEvent> parts = events.stream().filter(e -> e.fields().get("FileName").toString().endsWith("long.log")).toList();
        assertThat(parts).hasSize(3);
        assertThat(parts).extracting(e -> e.fields().get("LinePart")).containsExactly(1, 2, 3);
        assertThat(parts).extracting(e -> e.fields().get("LineContinued")).containsExactly(true, true, false);
        assertThat(String.join("", parts.stream().map(LogEvent::rawText).toList())).isEqualTo(longLine);
    }

    @Test
    void shippedFilesCanBeDeletedInsteadOfMoved() throws Exception {
        String bucket = s3.newBucket("delete");
        Map<String, String> p = props(bucket);
        p.put("s3logs.ship.delete-shipped", "true");
        p.put("s3logs.ship.gzip", "false");
        try (App app = App.start(p)) {
            Path f = drop("gone.log", "bye\n".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(f));
            await().atMost(Duration.ofSeconds(30)).until(() -> S3Read.keys(s3.client(), bucket).size() == 1);
        }
        assertThat(S3Read.lines(s3.client(), bucket)).containsExactly("bye");
        // a plain object is stored without an encoding (no aws-chunked left from the upload)
        assertThat(S3Read.all(s3.client(), bucket)).singleElement().extracting(S3Read.Obj::contentEncoding).isNull();
        assertThat(work.resolve("done")).doesNotExist();
        try (var files = Files.walk(work.resolve("in"))) {
            // nothing left behind in the input directory either (no .camel folder)
            assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
        }
    }

    @Test
    void rawKeepsInvalidBytesUnchangedAndStorageClassIsApplied() throws Exception {
        String bucket = s3.newBucket("raw");
        Map<String, String> p = props(bucket);
        p.put("s3logs.ship.format", "raw");
        p.put("s3logs.ship.gzip", "true");
        p.put("s3logs.ship.storage-class", "STANDARD_IA");
        byte[] content = {'o', 'k', '\n', (byte) 0xFF, (byte) 0xFE, 'x', '\n'};
        try (App app = App.start(p)) {
            drop("raw.log", content);
            await().atMost(Duration.ofSeconds(60)).until(() -> S3Read.keys(s3.client(), bucket).size() == 1);
        }
        S3Read.Obj o = S3Read.all(s3.client(), bucket).get(0);
        assertThat(o.content()).containsExactly(content);
        assertThat(o.storageClass()).isEqualTo("STANDARD_IA");
    }

    @Test
    void aTakenKeyMovesOnToTheNextCounter() throws Exception {
        String bucket = s3.newBucket("taken");
        Map<String, String> p = props(bucket);
        p.put("s3logs.ship.gzip", "false");
        p.put("s3logs.ship.key-pattern", "{server}/fixed-{seq}");
        s3.client().putObject(b -> b.bucket(bucket).key("SERVER01/fixed-000001"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("someone else\n"));
        s3.client().putObject(b -> b.bucket(bucket).key("SERVER01/fixed-000002"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("someone else too\n"));
        try (App app = App.start(p)) {
            drop("x.log", "mine\n".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(60)).until(() -> S3Read.keys(s3.client(), bucket).size() == 3);
        }
        Map<String, String> byKey = new HashMap<>();
        S3Read.all(s3.client(), bucket).forEach(o -> byKey.put(o.key(), o.text()));
        assertThat(byKey).containsEntry("SERVER01/fixed-000001", "someone else\n")
                .containsEntry("SERVER01/fixed-000002", "someone else too\n")
                .containsEntry("SERVER01/fixed-000003", "mine\n");
    }

    @Test
    void anUnreadableFileIsNamedRetriedAndTheOthersGoOn() throws Exception {
        Path locked = drop("locked.log", "secret\n".getBytes(StandardCharsets.UTF_8));
        org.junit.jupiter.api.Assumptions.assumeTrue(locked.toFile().setReadable(false, false) && !Files.isReadable(locked),
                "file permissions do not apply to this user (root)");
        String bucket = s3.newBucket("unreadable");
        Map<String, String> p = props(bucket);
        p.put("s3logs.ship.gzip", "false");
        try (App app = App.start(p)) {
            drop("fine.log", "fine\n".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(work.resolve("done/fine.log")));
            assertThat(locked).exists();
            locked.toFile().setReadable(true, false);
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(work.resolve("done/locked.log")));
            await().atMost(Duration.ofSeconds(30)).until(() -> S3Read.keys(s3.client(), bucket).size() == 2);
        }
        assertThat(S3Read.lines(s3.client(), bucket)).containsExactlyInAnyOrder("fine", "secret");
    }

    @Test
    void aFileThatCannotBeReadIsNamedInTheError() throws Exception {
        Path notAFile = Files.createDirectories(work.resolve("in/dir.log"));
        ShipFileInput input = new ShipFileInput(null, new EventFactory("h"), 1024, "ship-file",
                new PositionStore(work.resolve("files.json"), false), null, java.time.Clock.systemUTC());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> input.read(notAFile).forEachRemaining(c -> { }))
                .isInstanceOfAny(IOException.class, java.io.UncheckedIOException.class)
                .hasMessageContaining(notAFile.toAbsolutePath().toString());
    }

    @Test
    void objectsLandJustUnderTheMaximumSize() throws Exception {
        String bucket = s3.newBucket("maxbytes");
        Map<String, String> p = props(bucket);
        p.put("s3logs.ship.gzip", "true");
        p.put("s3logs.ship.batch.max-bytes", "16KiB");
        java.util.Random r = new java.util.Random(3);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            lines.add("request " + i + " id=" + Long.toHexString(r.nextLong()) + " took " + r.nextInt(999) + " ms");
        }
        try (App app = App.start(p)) {
            drop("sized.log", (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(work.resolve("done/sized.log"))
                    && Files.list(work.resolve("spool")).noneMatch(f -> f.toString().endsWith(".batch")));
        }
        List<S3Read.Obj> objs = S3Read.all(s3.client(), bucket);
        assertThat(objs.size()).isGreaterThan(5);
        for (S3Read.Obj o : objs.subList(0, objs.size() - 1)) {
            assertThat(o.body().length).as(o.key()).isLessThanOrEqualTo(16 * 1024).isGreaterThan(16 * 1024 - 300);
        }
        assertThat(S3Read.lines(s3.client(), bucket)).containsExactlyElementsOf(lines);
    }

    @Test
    void tailedLinesShipWhenTheBatchIsOldEnough() throws Exception {
        String bucket = s3.newBucket("tail");
        Map<String, String> p = props(bucket);
        Path tailed = Files.createDirectories(work.resolve("logs")).resolve("app.log");
        Files.writeString(tailed, "before the start\n");
        p.put("s3logs.ship.tail", work.resolve("logs").toString() + "/*.log");
        p.put("s3logs.ship.tail-poll-interval", "100ms");
        p.put("s3logs.ship.batch.max-age", "500ms");
        p.put("s3logs.ship.flush-check-interval", "100ms");
        p.put("s3logs.ship.read-from-last", "true");
        p.put("s3logs.ship.format", "json");
        try (App app = App.start(p)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(work.resolve("tail.json")));
            Files.writeString(tailed, "appended 1\nappended 2\n", java.nio.file.StandardOpenOption.APPEND);
            await().atMost(Duration.ofSeconds(30)).until(() -> S3Read.keys(s3.client(), bucket).size() == 1);
            List<LogEvent> events = new ArrayList<>();
            for (String l : S3Read.lines(s3.client(), bucket)) {
                events.add(EventCodec.fromJson(l));
            }
            assertThat(events).extracting(LogEvent::rawText).containsExactly("appended 1", "appended 2");
            assertThat(events.get(0).fields()).containsEntry("SourceModuleType", "tail")
                    .containsEntry("SourceModuleName", "ship-tail");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(work.resolve("tail.json"))
                    .contains("\"offset\" : " + Files.size(tailed)));
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();
}
