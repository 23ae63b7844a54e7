package io.s3logroutes.embed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.s3logroutes.testing.FaultProxy;
import io.s3logroutes.testing.S3Read;
import io.s3logroutes.testing.TestS3;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the {@code s3logs-ship-sink} kamelet in one CamelContext: different buckets, key prefixes and
 * spools, one with static credentials, one with an S3Client of the registry. Each instance's lines land in its own
 * bucket only, and each spool is empty once S3 has the batches.
 */
class ShipKameletIT {

    static final TestS3 S3 = TestS3.shared();

    @TempDir
    Path dir;

    @Test
    void twoInstancesShipToTheirOwnBuckets() throws Exception {
        String bucketA = S3.newBucket("ship-kamelet-a");
        String bucketB = S3.newBucket("ship-kamelet-b");
        String common = "endpoint: \"" + S3.server().endpoint() + "\"\n"
                + "              pathStyle: true\n"
                + "              maxAge: 300ms\n"
                + "              flushCheckInterval: 100ms\n"
                + "              maxEvents: 7\n";
        String yaml = """
                - route:
                    id: ship-a
                    from:
                      uri: direct:a
                      steps:
                        - to:
                            uri: kamelet:s3logs-ship-sink/shipA
                            parameters:
                              bucket: %s
                              accessKey: "%s"
                              secretKey: "%s"
                              spoolDir: "%s"
                              server: srv-a
                              %s
                - route:
                    id: ship-b
                    from:
                      uri: direct:b
                      steps:
                        - to:
                            uri: kamelet:s3logs-ship-sink/shipB
                            parameters:
                              bucket: %s
                              s3Client: "#bean:clientB"
                              spoolDir: "%s"
                              server: srv-b
                              keyPattern: "tenant-b/{server}/{yyyy-MM-dd}/{HH.mm.ss}-{seq}"
                              gzip: false
                              %s
                """.formatted(bucketA, S3.server().accessKey(), S3.server().secretKey(), dir.resolve("spool-a"),
                common.strip(), bucketB, dir.resolve("spool-b"), common.strip());
        try (CamelContext ctx = Kamelets.context(yaml)) {
            ctx.getRegistry().bind("clientB", S3.client());
            ctx.start();
            ProducerTemplate t = ctx.createProducerTemplate();
            List<String> a = new ArrayList<>();
            List<String> b = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String la = "a-line-" + (2 * i) + "\na-line-" + (2 * i + 1) + "\n";
                String lb = "b-line-" + i;
                a.add("a-line-" + (2 * i));
                a.add("a-line-" + (2 * i + 1));
                b.add(lb);
                Object events = t.requestBody("direct:a", la);
                assertThat(events).isEqualTo(la);
                t.sendBody("direct:b", lb);
            }
            // reads may meet an object that S3Proxy lists while its upload is still under way: try again
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                assertThat(S3Read.lines(S3.client(), bucketA)).containsExactlyElementsOf(a);
                assertThat(S3Read.lines(S3.client(), bucketB)).containsExactlyElementsOf(b);
            });
            assertThat(S3Read.keys(S3.client(), bucketA)).allMatch(k -> k.startsWith("srv-a/") && k.endsWith(".gz"))
                    .hasSizeGreaterThanOrEqualTo(2); // 10 lines, 7 per object at most
            assertThat(S3Read.keys(S3.client(), bucketB)).allMatch(k -> k.startsWith("tenant-b/srv-b/")
                    && !k.endsWith(".gz"));
            await().atMost(Duration.ofSeconds(30)).until(() -> batches(dir.resolve("spool-a")) == 0
                    && batches(dir.resolve("spool-b")) == 0);
        }
        // the S3Client of the registry is not closed by the instance that used it
        assertThat(S3.client().listBuckets().buckets()).isNotEmpty();
    }

    @Test
    void eventsAreInTheSpoolWhenTheExchangeCompletes() throws Exception {
        // an endpoint nobody listens on: nothing can be uploaded, the batch must be in the spool
        int port = io.s3logroutes.embedded.EmbeddedS3Server.freePort();
        String yaml = """
                - route:
                    id: ship-down
                    from:
                      uri: direct:down
                      steps:
                        - to:
                            uri: kamelet:s3logs-ship-sink/shipDown
                            parameters:
                              bucket: nowhere
                              endpoint: "http://127.0.0.1:%d"
                              pathStyle: true
                              accessKey: x
                              secretKey: y
                              retryInitialDelay: 50ms
                              retryMaxDelay: 200ms
                              spoolDir: "%s"
                """.formatted(port, dir.resolve("spool-down"));
        try (CamelContext ctx = Kamelets.context(yaml)) {
            // the upload route retries while the context stops, for as long as its shutdown timeout allows
            ctx.getShutdownStrategy().setTimeout(1);
            ctx.start();
            assertThat(ctx.getRoute("shipDown-put")).as("the instance's upload route, from the template").isNotNull();
            ctx.createProducerTemplate().sendBody("direct:down", "one\ntwo\n");
            assertThat(batches(dir.resolve("spool-down"))).isEqualTo(1);
        }
        // after the stop it is still there, for the next start
        assertThat(batches(dir.resolve("spool-down"))).isEqualTo(1);

        // the next start, with S3 reachable, sends it first
        String bucket = S3.newBucket("ship-kamelet-restart");
        try (CamelContext ctx = Kamelets.context(sink("up", bucket, dir.resolve("spool-down"), "10s"))) {
            ctx.start();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                    assertThat(S3Read.lines(S3.client(), bucket)).containsExactly("one", "two"));
            await().atMost(Duration.ofSeconds(10)).until(() -> batches(dir.resolve("spool-down")) == 0);
        }
    }

    @Test
    void aBatchWhoseUploadIsRetriedIsSentBeforeTheContextStops() throws Exception {
        String bucket = S3.newBucket("ship-kamelet-stop");
        Path spool = dir.resolve("spool-stop");
        try (FaultProxy proxy = new FaultProxy(S3.server().endpoint(), 0, 5)) {
            proxy.refuse("PUT", 503, "SlowDown", "Please reduce your request rate.");
            String yaml = sink("stop", bucket, spool, "1h", proxy.endpoint()) + """
                                  retryInitialDelay: 50ms
                                  retryMaxDelay: 200ms
                    """;
            try (CamelContext ctx = Kamelets.context(yaml)) {
                // S3 takes the batch only once the context is stopping
                ctx.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
                    @Override
                    public void notify(CamelEvent event) {
                        if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                            proxy.stopRefusing();
                        }
                    }
                });
                ctx.start();
                // the exchange completes with its batch sealed in the spool; its upload is refused and retried
                ctx.createProducerTemplate().sendBody("direct:stop", "last\nlines\n");
                await().atMost(Duration.ofSeconds(30)).until(() -> proxy.refused() >= 2);
                assertThat(S3Read.keys(S3.client(), bucket)).as("every PUT refused so far").isEmpty();
                assertThat(batches(spool)).isEqualTo(1);
            }
        }
        // the upload route completes its task, retries included, before it stops
        assertThat(S3Read.lines(S3.client(), bucket)).containsExactly("last", "lines");
        assertThat(batches(spool)).isZero();
    }

    @Test
    void aPermanentErrorTurnsTheInstancesReadinessCheckDownUntilItsBatchIsStored() throws Exception {
        String bucket = S3.newBucket("ship-kamelet-denied");
        try (FaultProxy proxy = new FaultProxy(S3.server().endpoint(), 0, 3)) {
            proxy.refuse("PUT", 403, "AccessDenied", "Access Denied");
            String yaml = """
                    - route:
                        id: ship-denied
                        from:
                          uri: direct:denied
                          steps:
                            - to:
                                uri: kamelet:s3logs-ship-sink/shipDenied
                                parameters:
                                  bucket: %s
                                  endpoint: "%s"
                                  pathStyle: true
                                  accessKey: "%s"
                                  secretKey: "%s"
                                  maxAge: 200ms
                                  flushCheckInterval: 100ms
                                  retryInitialDelay: 50ms
                                  retryMaxDelay: 500ms
                                  spoolDir: "%s"
                    """.formatted(bucket, proxy.endpoint(), S3.server().accessKey(), S3.server().secretKey(),
                    dir.resolve("spool-denied"));
            try (CamelContext ctx = Kamelets.context(yaml)) {
                ctx.start();
                HealthCheck check = ctx.getRegistry().lookupByNameAndType(
                        io.s3logroutes.observe.ObserveBeans.healthBean("shipDenied-upload"), HealthCheck.class);
                assertThat(check).as("the instance's readiness check").isNotNull();
                assertThat(check.call().getState()).isEqualTo(HealthCheck.State.UP);
                ctx.createProducerTemplate().sendBody("direct:denied", "denied\nlines\n");
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    HealthCheck.Result r = check.call();
                    assertThat(r.getState()).isEqualTo(HealthCheck.State.DOWN);
                    assertThat(r.getMessage()).hasValueSatisfying(m -> assertThat(m)
                            .contains("1 batch waits in the spool").contains("s3://" + bucket + "/")
                            .contains("403 AccessDenied: Access Denied (request id FAULTPROXY)"));
                });
                assertThat(batches(dir.resolve("spool-denied"))).isEqualTo(1);
                assertThat(S3Read.keys(S3.client(), bucket)).isEmpty();

                proxy.stopRefusing();
                await().atMost(Duration.ofSeconds(20)).until(() -> check.call().getState() == HealthCheck.State.UP);
                await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
                        assertThat(S3Read.lines(S3.client(), bucket)).containsExactly("denied", "lines"));
                assertThat(batches(dir.resolve("spool-denied"))).isZero();
            }
        }
    }

    static String sink(String id, String bucket, Path spool, String maxAge) {
        return sink(id, bucket, spool, maxAge, S3.server().endpoint());
    }

    static String sink(String id, String bucket, Path spool, String maxAge, java.net.URI endpoint) {
        return """
                - route:
                    id: ship-%1$s
                    from:
                      uri: direct:%1$s
                      steps:
                        - to:
                            uri: kamelet:s3logs-ship-sink/ship-%1$s-sink
                            parameters:
                              bucket: %2$s
                              endpoint: "%3$s"
                              pathStyle: true
                              accessKey: "%4$s"
                              secretKey: "%5$s"
                              maxAge: %6$s
                              spoolDir: "%7$s"
                """.formatted(id, bucket, endpoint, S3.server().accessKey(), S3.server().secretKey(), maxAge, spool);
    }

    static long batches(Path spool) throws Exception {
        if (!Files.isDirectory(spool)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(spool)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".batch")).count();
        }
    }
}
