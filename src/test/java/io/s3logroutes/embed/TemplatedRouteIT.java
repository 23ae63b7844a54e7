package io.s3logroutes.embed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.s3logroutes.testing.TestS3;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A kamelet file loaded as a route template (the YAML DSL reads {@code *.kamelet.yaml} as one) and instantiated with
 * {@code templatedRoute}: the route gets the id given, its own bean, and its {@code kamelet:sink} is paired with a
 * consumer through the {@code templateId} and {@code routeId} parameters, as docs/embedding.md shows.
 */
class TemplatedRouteIT {

    static final TestS3 S3 = TestS3.shared();

    @TempDir
    Path dir;

    @Test
    void fetchKameletAsARouteTemplate() throws Exception {
        String bucket = S3.newBucket("templated");
        S3.client().putObject(b -> b.bucket(bucket).key("T/2026-01-01/00.00.01-000001"), RequestBody.fromString("t1\n"));
        String yaml = """
                - templatedRoute:
                    routeTemplateRef: s3logs-fetch-source
                    routeId: fetch-templated
                    parameters:
                      - name: templateId
                        value: s3logs-fetch-source
                      - name: routeId
                        value: fetch-templated
                      - name: bucket
                        value: %s
                      - name: endpoint
                        value: "%s"
                      - name: pathStyle
                        value: "true"
                      - name: prefix
                        value: T/
                      - name: outputFile
                        value: "%s"
                      - name: checkpointFile
                        value: "%s"
                      - name: failedFile
                        value: "%s"
                      - name: settle
                        value: 0s
                      - name: initialDelay
                        value: 10ms
                      - name: pollInterval
                        value: 200ms
                - route:
                    id: fetch-templated-summaries
                    from:
                      uri: kamelet:sink
                      parameters:
                        templateId: s3logs-fetch-source
                        routeId: fetch-templated
                      steps:
                        - process:
                            ref: collect
                """.formatted(bucket, S3.server().endpoint(), dir.resolve("t.log"), dir.resolve("t.lastkey"),
                dir.resolve("t.failed"));
        List<Long> objects = new CopyOnWriteArrayList<>();
        try (CamelContext ctx = new DefaultCamelContext()) {
            ctx.getRegistry().bind("collect", (org.apache.camel.Processor) (Exchange e) ->
                    objects.add(e.getMessage().getHeader(FetchFlow.OBJECTS, Long.class)));
            var loader = PluginHelper.getRoutesLoader(ctx);
            loader.loadRoutes(PluginHelper.getResourceLoader(ctx).resolveResource("classpath:kamelets/s3logs-fetch-source.kamelet.yaml"));
            loader.loadRoutes(ResourceHelper.fromString("templated.camel.yaml", yaml));
            ctx.start();
            assertThat(ctx.getRoute("fetch-templated")).isNotNull();
            await().atMost(Duration.ofSeconds(60)).until(() -> objects.stream().mapToLong(Long::longValue).sum() == 1);
            assertThat(Files.readString(dir.resolve("t.log"))).isEqualTo("t1\n");
        }
    }
}
