package io.s3logroutes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.s3logroutes.event.EventCodec;
import io.s3logroutes.event.LogEvent;
import io.s3logroutes.testing.App;
import io.s3logroutes.testing.ShipProps;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Ship writes, fetch reads back: the output equals the input, and every field comes back. */
class ShipFetchRoundTripIT {

    @TempDir
    Path work;

    static final List<String> CASES = List.of("raw,true,1000", "raw,true,1", "raw,false,1000", "raw,false,1",
            "json,true,1000", "json,true,1", "json,false,1000", "json,false,1");

    /** Every case, or those that {@code s3logs.test.roundtrip-cases} lists (separated by ';'; the RGW run's). */
    static java.util.stream.Stream<Arguments> cases() {
        String chosen = System.getProperty("s3logs.test.roundtrip-cases", "");
        List<String> cases = chosen.isBlank() ? CASES : List.of(chosen.split(";"));
        return cases.stream().map(c -> {
            if (!CASES.contains(c)) {
                throw new IllegalArgumentException("s3logs.test.roundtrip-cases: no case " + c + " among " + CASES);
            }
            String[] f = c.split(",");
            return Arguments.of(f[0], Boolean.parseBoolean(f[1]), Integer.parseInt(f[2]));
        });
    }

    @ParameterizedTest(name = "{0} gzip={1} max-events={2}")
    @MethodSource("cases")
    void whatShipWritesFetchRestores(String format, boolean gzip, int maxEvents) throws Exception {
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("roundtrip");
        Map<String, String> p = new HashMap<>(s3.appProperties(bucket));
        p.putAll(ShipProps.under(work, "RT01"));
        p.put("s3logs.ship.format", format);
        p.put("s3logs.ship.gzip", Boolean.toString(gzip));
        p.put("s3logs.ship.batch.max-events", Integer.toString(maxEvents));
        p.put("s3logs.ship.concurrency", "8");
        p.put("s3logs.fetch.enabled", "true");
        p.put("s3logs.fetch.prefix", "RT01/");
        // the settle contract: fetch waits at least as long as ship may take to make an object visible
        p.put("s3logs.ship.max-upload-delay", "5s");
        p.put("s3logs.fetch.settle", "5s");
        p.put("s3logs.fetch.poll-interval", "500ms");
        p.put("s3logs.fetch.initial-delay", "500ms");
        p.put("s3logs.fetch.output-format", format);
        p.put("s3logs.fetch.output-file", work.resolve("out/fetched.log").toString());
        p.put("s3logs.fetch.checkpoint-file", work.resolve("lastkey.log").toString());
        p.put("s3logs.fetch.failed-file", work.resolve("failed.log").toString());

        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            lines.add(i % 50 == 7 ? "" : "event " + i + " \u00e9t\u00e9 \"quoted\" \\ tab\there " + "z".repeat(i % 13));
        }
        Path in = Files.createDirectories(work.resolve("in"));
        Path tmp = work.resolve("input.tmp");
        Files.writeString(tmp, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        Path out = work.resolve("out/fetched.log");
        try (App app = App.start(p)) {
            Files.move(tmp, in.resolve("app.log"));
            await().atMost(Duration.ofSeconds(120)).until(() -> Files.exists(out)
                    && Files.readAllLines(out, StandardCharsets.UTF_8).size() >= lines.size());
        }
        List<String> fetched = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(work.resolve("failed.log")).doesNotExist();
        if (format.equals("raw")) {
            assertThat(fetched).containsExactlyElementsOf(lines);
            return;
        }
        List<LogEvent> events = new ArrayList<>();
        for (String l : fetched) {
            events.add(EventCodec.fromJson(l));
        }
        assertThat(events).extracting(LogEvent::rawText).containsExactlyElementsOf(lines);
        assertThat(events).allSatisfy(e -> assertThat(e.fields())
                .containsEntry("SourceModuleType", "file")
                .containsEntry("SourceModuleName", "ship-file")
                .containsEntry("FileName", in.resolve("app.log").toAbsolutePath().toString())
                .containsKeys("EventReceivedTime", "Hostname"));
    }
}
