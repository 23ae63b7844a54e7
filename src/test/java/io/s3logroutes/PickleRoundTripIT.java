package io.s3logroutes;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.s3logroutes.testing.App;
import io.s3logroutes.testing.FetchProps;
import io.s3logroutes.testing.Python3;
import io.s3logroutes.testing.ShipProps;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ship with {@code s3logs.ship.format=pickle} (one gzip'd protocol-2 pickle per event) to an S3 API server, then fetch
 * with {@code s3logs.fetch.input-format=auto}: the json output holds every field, exactly the dicts that Python 3's
 * {@code pickle.loads} finds in the objects ({@code load.py}, which also checks that they hold protocol-2 opcodes only);
 * the raw output is the shipped file byte for byte, a line that is not UTF-8 and a line that ship split into parts
 * ({@code LinePart}, {@code LineContinued}) included.
 */
class PickleRoundTripIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    @TempDir
    Path work;

    @Test
    void whatShipPicklesFetchRestoresExactly() throws Exception {
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("pickle-rt");
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        int events = 0;
        for (int i = 0; i < 24; i++) {
            byte[] line = switch (i % 8) {
                case 3 -> new byte[]{'c', 'a', 'f', (byte) 0xe9, ' ', (byte) 0xff, (byte) i}; // not UTF-8
                case 5 -> new byte[0];
                // 150 bytes: three parts of at most 64 bytes
                case 6 -> ("long " + i + " " + "\u00e9".repeat(70)).getBytes(StandardCharsets.UTF_8);
                default -> ("event " + i + " caf\u00e9 \"q\" \\ \t \ud83d\ude00").getBytes(StandardCharsets.UTF_8);
            };
            file.writeBytes(line);
            file.write('\n');
            events += i % 8 == 6 ? 3 : 1;
        }
        Map<String, String> p = new HashMap<>(s3.appProperties(bucket));
        p.putAll(ShipProps.under(work, "PK01"));
        p.putAll(FetchProps.under(work, "PK01/"));
        p.put("s3logs.ship.format", "pickle");
        p.put("s3logs.ship.batch.max-events", "1");
        p.put("s3logs.ship.max-line-bytes", "64");
        p.put("s3logs.ship.concurrency", "8");
        // the settle contract: fetch waits at least as long as ship may take to make an object visible
        p.put("s3logs.ship.max-upload-delay", "2s");
        p.put("s3logs.fetch.settle", "2s");
        p.put("s3logs.fetch.input-format", "auto");
        p.put("s3logs.fetch.output-format", "json");
        Path out = work.resolve("out.log");
        int expected = events;
        Files.createDirectories(work.resolve("in"));
        try (App app = App.start(p)) {
            Path tmp = work.resolve("app.tmp");
            Files.write(tmp, file.toByteArray());
            Files.move(tmp, work.resolve("in/app.log"));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> Files.exists(out)
                    && Files.readAllLines(out, StandardCharsets.UTF_8).size() >= expected);
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(events);
        assertThat(work.resolve("failed.log")).doesNotExist();
        List<LinkedHashMap<String, Object>> fetched = new ArrayList<>();
        for (String l : lines) {
            fetched.add(JSON.readValue(l, MAP));
        }
        assertThat(fetched).allSatisfy(e -> assertThat(e).containsEntry("SourceModuleName", "ship-file")
                .containsEntry("FileName", work.resolve("in/app.log").toAbsolutePath().toString())
                .containsKeys("EventReceivedTime", "Hostname"));
        assertThat(fetched).filteredOn(e -> e.containsKey("LinePart")).hasSize(9)
                .extracting(e -> e.get("LineContinued")).containsExactly(true, true, false, true, true, false, true,
                        true, false);

        // one object per event, each a pickle Python loads into the very dict fetch wrote
        List<String> keys = s3.client().listObjectsV2Paginator(b -> b.bucket(bucket).prefix("PK01/")).contents()
                .stream().map(S3Object::key).sorted().toList();
        assertThat(keys).hasSize(events).allMatch(k -> k.endsWith(".gz"));
        if (Python3.available()) {
            List<String> files = new ArrayList<>();
            for (String k : keys) {
                Path f = work.resolve("objects/" + files.size() + ".pickle.gz");
                Files.createDirectories(f.getParent());
                Files.write(f, s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(k)).asByteArray());
                files.add(f.toString());
            }
            List<String> loaded = Python3.run(Path.of("src/test/resources/fixtures/pickle/load.py"), files)
                    .lines().toList();
            assertThat(loaded).hasSize(events);
            for (int i = 0; i < events; i++) {
                assertThat(new ArrayList<>(JSON.readValue(loaded.get(i), MAP).entrySet())).as(keys.get(i))
                        .containsExactlyElementsOf(fetched.get(i).entrySet());
            }
        } else {
            System.out.println("PickleRoundTripIT: " + Python3.MISSING);
        }
        // the lines that are not UTF-8 (parts of the long lines, cut inside a character, are not either)
        assertThat(fetched).filteredOn(e -> e.containsKey("raw_event_b64") && !e.containsKey("LinePart")).hasSize(3)
                .allSatisfy(e -> assertThat(Base64.getDecoder().decode((String) e.get("raw_event_b64")))
                        .startsWith('c', 'a', 'f', (byte) 0xe9));

        // the same objects with raw output: the shipped file, byte for byte
        Map<String, String> f = FetchProps.under(s3, bucket, work.resolve("raw"), "PK01/");
        f.put("s3logs.fetch.settle", "0s");
        String last = keys.get(keys.size() - 1);
        try (App app = App.start(f)) {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() ->
                    Files.exists(work.resolve("raw/lastkey.log"))
                            && Files.readString(work.resolve("raw/lastkey.log")).startsWith(last + "\t"));
        }
        assertThat(Files.readAllBytes(work.resolve("raw/out.log"))).isEqualTo(file.toByteArray());
    }
}
