package io.s3logroutes.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
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
}
