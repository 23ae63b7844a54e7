package io.s3logroutes.fetch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.s3logroutes.testing.App;
import io.s3logroutes.testing.FetchProps;
import io.s3logroutes.testing.TestS3;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fetch route over the committed pickle fixtures ({@code src/test/resources/fixtures/pickle}: Python 3's pickles
 * of protocols 2 to 5 and Python 2's protocol 0, built by {@code make.py} there), plain and gzip'd, among a raw and an
 * NDJSON object, with {@code s3logs.fetch.input-format=auto}: each object is read by its own format; the two bad
 * pickles (a list, {@code os.system}) get one failed-file row each naming the type, the route keeps running past them,
 * and the output holds the events {@code make.py} derived from what Python loads (json), or their lines (raw).
 */
class FetchPickleIT {

    static final List<String> OBJECTS = List.of("py2-proto0-event.pickle", "py2-proto0-event.pickle.gz",
            "py2-proto0-utf8.pickle", "bad-posix-system.pickle", "py2-proto0-latin1.pickle", "TEXT",
            "py3-proto2.pickle", "py3-proto3.pickle", "bad-list.pickle", "py3-proto4.pickle", "py3-proto4.pickle.gz",
            "NDJSON", "py3-proto5.pickle");

    @TempDir
    Path dir;

    final TestS3 s3 = TestS3.shared();

    @Test
    void picklesAmongOtherObjectsAreReadAndTheBadOnesRecorded() throws Exception {
        String bucket = s3.newBucket("fetch-pickle");
        Map<String, String> badKeys = new LinkedHashMap<>();
        List<LinkedHashMap<String, Object>> expected = new ArrayList<>();
        ByteArrayOutputStream expectedRaw = new ByteArrayOutputStream();
        String last = null;
        for (int i = 0; i < OBJECTS.size(); i++) {
            String name = OBJECTS.get(i);
            boolean gz = name.endsWith(".gz");
            String key = FetchIT.key("PK", FetchIT.T0.plusSeconds(i), 1, gz);
            byte[] body;
            if (name.equals("TEXT")) {
                body = "a raw line\n".getBytes(StandardCharsets.UTF_8);
                expected.add(new LinkedHashMap<>(Map.of("raw_event", "a raw line")));
            } else if (name.equals("NDJSON")) {
                body = "{\"raw_event\":\"a json line\",\"Hostname\":\"h\"}\n".getBytes(StandardCharsets.UTF_8);
                LinkedHashMap<String, Object> e = new LinkedHashMap<>();
                e.put("raw_event", "a json line");
                e.put("Hostname", "h");
                expected.add(e);
            } else {
                body = PickleReaderTest.fixture(name);
                if (name.startsWith("bad-")) {
                    badKeys.put(key, name.equals("bad-list.pickle") ? "field 'tags' is a list"
                            : "field 'cmd' is a posix.system");
                } else {
                    expected.add(PickleReaderTest.expected(name));
                }
            }
            if (!name.startsWith("bad-")) {
                expectedRaw.writeBytes(PickleReaderTest.rawLine(expected.get(expected.size() - 1)));
            }
            FetchObjects.put(s3.client(), bucket, key, body, gz);
            last = key;
        }

        fetch(bucket, "json", last);
        List<LinkedHashMap<String, Object>> got = PickleReaderTest.jsonLines(Files.readAllBytes(dir.resolve("out.log")));
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < got.size(); i++) {
            assertThat(new ArrayList<>(got.get(i).entrySet())).as("event " + i)
                    .containsExactlyElementsOf(expected.get(i).entrySet());
        }
        List<String> rows = Files.readAllLines(dir.resolve("failed.log"));
        assertThat(rows).hasSize(badKeys.size());
        for (String row : rows) {
            String[] f = row.split("\t");
            assertThat(f).as(row).hasSize(5);
            assertThat(badKeys).as(row).containsKey(f[1]);
            assertThat(f[4]).as(row).startsWith("pickle 1 (at byte 0): ").contains(badKeys.get(f[1]));
        }

        Files.delete(dir.resolve("lastkey.log"));
        Files.delete(dir.resolve("out.log"));
        fetch(bucket, "raw", last);
        assertThat(Files.readAllBytes(dir.resolve("out.log"))).isEqualTo(expectedRaw.toByteArray());
    }

    /** Runs fetch until its checkpoint is past the last key; the route is still running then. */
    void fetch(String bucket, String outputFormat, String lastKey) throws Exception {
        Map<String, String> p = FetchProps.under(s3, bucket, dir, "PK/");
        p.put("s3logs.fetch.settle", "5m");
        p.put("s3logs.fetch.input-format", "auto");
        p.put("s3logs.fetch.output-format", outputFormat);
        try (App app = App.start(p)) {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() ->
                    Files.exists(dir.resolve("lastkey.log")) && Checkpoint.parse(
                            Files.readString(dir.resolve("lastkey.log"))).key().orElse("").equals(lastKey));
            assertThat(app.context().getRouteController().getRouteStatus("fetch-s3")).isEqualTo(ServiceStatus.Started);
        }
    }
}
