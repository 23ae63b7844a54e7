package io.s3logroutes.cluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.s3logroutes.fetch.Checkpoint;
import io.s3logroutes.fetch.CheckpointStore;
import io.s3logroutes.testing.App;
import io.s3logroutes.testing.TestS3;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When the route {@code fetch-s3} starts again (this instance is elected again after another one fetched), the
 * fetch reads the checkpoint file afresh instead of going on from the key it held in memory.
 */
class FetchRouteRestartIT {

    @TempDir
    Path work;

    final TestS3 s3 = TestS3.shared();
    final List<String> expected = new ArrayList<>();
    int objects;

    @Test
    void aRestartedRouteResumesAfterTheCheckpointAnotherInstanceWrote() throws Exception {
        String bucket = s3.newBucket("restart");
        Path out = work.resolve("out/fetched.log");
        Path cpFile = work.resolve("lastkey.log");
        Map<String, String> props = new LinkedHashMap<>(s3.appProperties(bucket));
        props.put("s3logs.fetch.enabled", "true");
        props.put("s3logs.fetch.prefix", "F/");
        props.put("s3logs.fetch.initial-delay", "10ms");
        props.put("s3logs.fetch.poll-interval", "100ms");
        props.put("s3logs.fetch.settle", "3s"); // see NowKeys
        props.put("s3logs.fetch.output-file", out.toString());
        props.put("s3logs.fetch.checkpoint-file", cpFile.toString());
        props.put("s3logs.fetch.failed-file", work.resolve("failed.log").toString());
        props.put("s3logs.quickstart.report-interval", "1h");

        String k1 = put(bucket, 5);
        try (App app = App.start(props)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> k1.equals(checkpointKey(cpFile)));
            app.context().getRouteController().stopRoute("fetch-s3");
            assertThat(app.context().getRouteController().getRouteStatus("fetch-s3")).isEqualTo(ServiceStatus.Stopped);

            // meanwhile another instance fetches three objects into the shared output and moves the checkpoint
            String k2 = put(bucket, 3);
            List<String> theirs = expected.subList(expected.size() - countLines(3), expected.size());
            Files.write(out, (String.join("\n", theirs) + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.APPEND);
            new CheckpointStore(cpFile).write(new Checkpoint(java.util.Optional.of(k2),
                    java.util.Optional.of(out.toAbsolutePath().normalize()), Files.size(out)));

            app.context().getRouteController().startRoute("fetch-s3");
            String k3 = put(bucket, 4);
            await().atMost(Duration.ofSeconds(30)).until(() -> k3.equals(checkpointKey(cpFile)));
        }
        assertThat(Files.readAllLines(out, StandardCharsets.UTF_8)).as("nothing read twice, nothing skipped")
                .containsExactlyElementsOf(expected);
    }

    private final NowKeys keys = new NowKeys();
    private final List<Integer> linesPerObject = new ArrayList<>();

    private int countLines(int lastObjects) {
        return linesPerObject.subList(linesPerObject.size() - lastObjects, linesPerObject.size()).stream()
                .mapToInt(Integer::intValue).sum();
    }

    /** Puts {@code n} raw objects; returns the last key. */
    private String put(String bucket, int n) {
        String key = null;
        for (int i = 0; i < n; i++) {
            key = keys.next();
            int o = ++objects;
            StringBuilder body = new StringBuilder();
            int lines = 1 + o % 3;
            for (int j = 0; j < lines; j++) {
                body.append("object ").append(o).append(" line ").append(j).append('\n');
                expected.add("object " + o + " line " + j);
            }
            linesPerObject.add(lines);
            String k = key;
            s3.client().putObject(r -> r.bucket(bucket).key(k).contentType("text/plain"),
                    RequestBody.fromString(body.toString(), StandardCharsets.UTF_8));
        }
        return key;
    }

    private static String checkpointKey(Path f) throws Exception {
        try {
            return Checkpoint.parse(Files.readString(f)).key().orElse("");
        } catch (NoSuchFileException e) {
            return "";
        }
    }
}
