package io.s3logroutes.embed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.s3logroutes.testing.TestS3;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the {@code s3logs-fetch-source} kamelet in one CamelContext, on two prefixes of two buckets: each
 * writes its own output file and checkpoint and sends its own summaries; nothing of the other prefix or bucket
 * reaches it.
 */
class FetchKameletIT {

    static final TestS3 S3 = TestS3.shared();

    @TempDir
    Path dir;

    @Test
    void twoInstancesFetchTheirOwnPrefixes() throws Exception {
        String bucket1 = S3.newBucket("fetch-kamelet-1");
        String bucket2 = S3.newBucket("fetch-kamelet-2");
        put(bucket1, "A/2026-01-01/00.00.01-000001", "a1\na2\n");
        put(bucket1, "A/2026-01-01/00.00.02-000001", "a3\n");
        put(bucket1, "B/2026-01-01/00.00.01-000001", "wrong prefix\n");
        put(bucket2, "B/2026-01-01/00.00.01-000001", "b1\n");
        put(bucket2, "A/2026-01-01/00.00.01-000001", "wrong bucket\n");
        String yaml = route("fetchA", bucket1, "A/", "a") + route("fetchB", bucket2, "B/", "b");
        Map<String, List<Map<String, Object>>> summaries = new ConcurrentHashMap<>();
        try (CamelContext ctx = Kamelets.context(yaml)) {
            // a required parameter given the kamelet component's way, per instance: camel.kamelet.NAME.ROUTE.PARAM
            java.util.Properties props = new java.util.Properties();
            props.put("camel.kamelet.s3logs-fetch-source.fetchA.failedFile", dir.resolve("a.failed").toString());
            props.put("camel.kamelet.s3logs-fetch-source.fetchB.failedFile", dir.resolve("b.failed").toString());
            ctx.getPropertiesComponent().setOverrideProperties(props);
            ctx.getRegistry().bind("collect", (org.apache.camel.Processor) (Exchange e) -> summaries
                    .computeIfAbsent(e.getFromRouteId(), k -> new CopyOnWriteArrayList<>())
                    .add(Map.copyOf(e.getMessage().getHeaders().entrySet().stream()
                            .filter(h -> h.getKey().startsWith("S3LogsFetch") && h.getValue() != null)
                            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)))));
            ctx.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> total(summaries.get("fetch-a")) == 2
                    && total(summaries.get("fetch-b")) == 1);
            assertThat(Files.readString(dir.resolve("a.log"))).isEqualTo("a1\na2\na3\n");
            assertThat(Files.readString(dir.resolve("b.log"))).isEqualTo("b1\n");
            assertThat(Files.readString(dir.resolve("a.lastkey"))).startsWith("A/2026-01-01/00.00.02-000001");
            assertThat(Files.readString(dir.resolve("b.lastkey"))).startsWith("B/2026-01-01/00.00.01-000001");
            Map<String, Object> lastA = summaries.get("fetch-a").stream()
                    .filter(s -> ((Number) s.get(FetchFlow.OBJECTS)).longValue() > 0).reduce((x, y) -> y).orElseThrow();
            assertThat(lastA).containsEntry(FetchFlow.LAST_KEY, "A/2026-01-01/00.00.02-000001")
                    .containsEntry(FetchFlow.OK, true);
            assertThat(summaries.get("fetch-b")).allSatisfy(s -> assertThat(s).containsEntry(FetchFlow.OK, true));
            long bytesB = summaries.get("fetch-b").stream()
                    .mapToLong(s -> ((Number) s.get(FetchFlow.BYTES)).longValue()).sum();
            assertThat(bytesB).isEqualTo("b1\n".length());
        }
        assertThat(Files.exists(dir.resolve("a.failed"))).isFalse();
        assertThat(Files.exists(dir.resolve("b.failed"))).isFalse();
    }

    private String route(String instance, String bucket, String prefix, String name) {
        return """
                - route:
                    id: fetch-%s
                    from:
                      uri: kamelet:s3logs-fetch-source/%s
                      parameters:
                        bucket: %s
                        endpoint: "%s"
                        pathStyle: true
                        prefix: %s
                        outputFile: "%s"
                        checkpointFile: "%s"
                        settle: 0s
                        initialDelay: 10ms
                        pollInterval: 200ms
                      steps:
                        - process:
                            ref: collect
                """.formatted(name, instance, bucket, S3.server().endpoint(), prefix, dir.resolve(name + ".log"),
                dir.resolve(name + ".lastkey"));
    }

    private static long total(List<Map<String, Object>> s) {
        return s == null ? -1 : s.stream().mapToLong(m -> ((Number) m.get(FetchFlow.OBJECTS)).longValue()).sum();
    }

    private static void put(String bucket, String key, String body) {
        S3.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
    }
}
