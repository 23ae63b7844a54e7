package io.s3logroutes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import io.s3logroutes.keys.KeyTimes;
import io.s3logroutes.testing.App;
import io.s3logroutes.testing.FetchProps;
import io.s3logroutes.testing.S3Read;
import io.s3logroutes.testing.ShipProps;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code s3logs.ship.profile=nxlog} writes what NXLog's s3_write.py wrote, keys in a local time zone included, and
 * fetch reads such objects back, each once, also more than ten of them in one second.
 */
class NxlogProfileIT {

    static final Pattern KEY = Pattern.compile("NX01/(\\d{4}-\\d{2}-\\d{2})/(\\d{2})\\.(\\d{2})\\.(\\d{2})-([1-9]\\d*)");
    static final ZoneId INDIA = ZoneId.of("Asia/Kolkata");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @TempDir
    Path work;

    @Test
    void shipWritesTheScriptsObjectsInTheKeyTimeZoneAndFetchReadsThemBack() throws Exception {
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("nxlog");
        Map<String, String> p = new HashMap<>(FetchProps.under(s3, bucket, work.resolve("fetch"), "NX01/"));
        p.putAll(ShipProps.under(work, "NX01"));
        p.put("s3logs.ship.profile", "nxlog");
        p.put("s3logs.ship.key-time-zone", "Asia/Kolkata");
        p.put("s3logs.fetch.key-time-zone", "Asia/Kolkata");
        // read as UTC, these keys would be 5.5 hours in the future and wait that long
        p.put("s3logs.ship.max-upload-delay", "2s");
        p.put("s3logs.fetch.settle", "2s");
        p.put("s3logs.fetch.max-keys", "7");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            lines.add(i == 5 ? "" : "event " + i + " \u00e9t\u00e9 \"q\"\ttab  " + "z".repeat(i % 7));
        }
        Path in = Files.createDirectories(work.resolve("in"));
        Path tmp = work.resolve("input.tmp");
        Files.writeString(tmp, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        Path out = work.resolve("fetch/out.log");
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (App app = App.start(p)) {
            Files.move(tmp, in.resolve("app.log"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(out)
                    && Files.readAllLines(out, StandardCharsets.UTF_8).size() >= lines.size());
        }
        Instant after = Instant.now();

        List<S3Read.Obj> objects = new ArrayList<>(S3Read.all(s3.client(), bucket));
        assertThat(objects).hasSize(lines.size());
        Map<String, List<Integer>> counters = new TreeMap<>();
        for (S3Read.Obj o : objects) {
            Matcher m = KEY.matcher(o.key());
            assertThat(m.matches()).as("key %s is SERVER/YYYY-MM-DD/HH.MM.SS-N", o.key()).isTrue();
            assertThat(o.isGzip()).as(o.key()).isFalse();
            assertThat(o.contentEncoding()).as(o.key()).isNull();
            Instant t = KeyTimes.timeOf(o.key(), INDIA).orElseThrow();
            assertThat(t).as("Indian time of %s", o.key()).isBetween(before, after);
            counters.computeIfAbsent(o.key().substring(0, o.key().lastIndexOf('-')), k -> new ArrayList<>())
                    .add(Integer.parseInt(m.group(5)));
        }
        // in each second the counters are 1, 2, ... n: unpadded and starting again at 1
        counters.values().forEach(c -> {
            Collections.sort(c);
            assertThat(c).containsExactlyElementsOf(IntStream.rangeClosed(1, c.size()).boxed().toList());
        });
        // in write order (second, then counter) the bodies are exactly the lines, with no line end
        objects.sort(Comparator.comparing((S3Read.Obj o) -> o.key().substring(0, o.key().lastIndexOf('-')))
                .thenComparing(o -> Integer.parseInt(o.key().substring(o.key().lastIndexOf('-') + 1))));
        assertThat(objects).extracting(o -> new String(o.body(), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(lines);
        assertThat(Files.readAllLines(out, StandardCharsets.UTF_8)).containsExactlyElementsOf(lines);
        assertThat(work.resolve("fetch/failed.log")).doesNotExist();
    }

    @Test
    void fetchReadsMoreThanTenObjectsOfOneSecondEachOnceInCounterOrder() throws Exception {
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("nxlog-read");
        // an NXLog host in Berlin wrote these an hour ago: 25 objects in one second, 3 in the next
        LocalDateTime local = LocalDateTime.now(BERLIN).minusHours(1).truncatedTo(ChronoUnit.SECONDS);
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd/HH.mm.ss");
        List<String> keys = new ArrayList<>();
        for (int i = 1; i <= 25; i++) {
            keys.add("NXW/" + f.format(local) + "-" + i);
        }
        for (int i = 1; i <= 3; i++) {
            keys.add("NXW/" + f.format(local.plusSeconds(1)) + "-" + i);
        }
        List<String> shuffled = new ArrayList<>(keys);
        Collections.shuffle(shuffled, new java.util.Random(7));
        for (String k : shuffled) {
            s3.client().putObject(b -> b.bucket(bucket).key(k), RequestBody.fromString("event of " + k));
        }
        Map<String, String> p = new HashMap<>(FetchProps.under(s3, bucket, work, "NXW/"));
        p.put("s3logs.fetch.key-time-zone", "Europe/Berlin");
        p.put("s3logs.fetch.settle", "5s");
        p.put("s3logs.fetch.max-keys", "4");
        p.put("s3logs.fetch.checkpoint-interval", "0s");
        Path out = work.resolve("out.log");
        List<String> expected = new ArrayList<>(keys.stream().map(k -> "event of " + k).toList());
        try (App app = App.start(p)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(out)
                    && Files.readAllLines(out, StandardCharsets.UTF_8).size() >= expected.size());
            // the checkpoint is the last key in key order: "-3" of the second second
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(work.resolve("lastkey.log"))
                    .startsWith(keys.get(keys.size() - 1) + "\t"));
            // one more object later: once it is in the output, every poll before it has run, and repeated nothing
            String late = "NXW/" + f.format(local.plusSeconds(2)) + "-1";
            s3.client().putObject(b -> b.bucket(bucket).key(late), RequestBody.fromString("event of " + late));
            expected.add("event of " + late);
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.readAllLines(out, StandardCharsets.UTF_8)
                    .contains("event of " + late));
        }
        assertThat(Files.readAllLines(out, StandardCharsets.UTF_8)).containsExactlyElementsOf(expected);
        assertThat(work.resolve("failed.log")).doesNotExist();
    }
}
