package io.s3logroutes.ship;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.s3logroutes.embedded.EmbeddedS3Server;
import io.s3logroutes.testing.App;
import io.s3logroutes.testing.FaultProxy;
import io.s3logroutes.testing.S3Read;
import io.s3logroutes.testing.ShipProps;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A store that answers 403 SignatureDoesNotMatch to every PUT (the fault proxy in front of S3Proxy; HEAD and the
 * rest pass): the failure is logged with S3's code and message, counted, readiness and /observe/health are DOWN
 * naming it, the batch stays in the spool and is retried after the longest pause; once PUTs pass again, the health
 * is UP and every line is stored once.
 */
class ShipPermanentErrorIT {

    static final String SIGNATURE = "The request signature we calculated does not match the signature you provided."
            + " Check your key and signing method.";

    @TempDir
    Path work;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    double metric(int port, String name) throws Exception {
        String body = get(port, "/observe/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(body);
        assertThat(m.find()).as(name + " in\n" + body).isTrue();
        return Double.parseDouble(m.group(1));
    }

    static List<Path> batches(Path spool) throws Exception {
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(spool)) {
            return s.filter(p -> p.toString().endsWith(".batch")).toList();
        }
    }

    @Test
    void a403OnEveryPutIsVisibleAndEveryLineLandsOnceWhenItStops() throws Exception {
        TestS3 s3 = TestS3.shared();
        long t0 = System.nanoTime();
        String bucket = s3.newBucket("permerr");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger logger = (Logger) LoggerFactory.getLogger(PermanentErrors.class);
        logger.addAppender(log);
        try (FaultProxy proxy = new FaultProxy(s3.server().endpoint(), 0, 5)) {
            proxy.refuse("PUT", 403, "SignatureDoesNotMatch", SIGNATURE);
            int port = EmbeddedS3Server.freePort();
            Map<String, String> p = new HashMap<>(s3.appProperties(bucket));
            p.put("s3logs.s3.endpoint", proxy.endpoint().toString());
            p.putAll(ShipProps.under(work, "PERM01"));
            p.putAll(ShipProps.quick());
            p.put("s3logs.http.enabled", "true");
            p.put("s3logs.http.port", Integer.toString(port));
            p.put("s3logs.ship.gzip", "false");
            p.put("s3logs.ship.concurrency", "1");
            // backoff from 100 ms: without the longest pause after a 403, the first retries would come within 1.5 s
            p.put("s3logs.ship.retry-initial-delay", "100ms");
            p.put("s3logs.ship.retry-max-delay", "1500ms");
            p.put("s3logs.health.s3-timeout", "2s");
            try (App app = App.start(p)) {
                List<String> expected = new ArrayList<>();
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < 200; i++) {
                    expected.add("denied line " + i);
                    sb.append("denied line ").append(i).append('\n');
                }
                Path in = Files.createDirectories(work.resolve("in"));
                Files.writeString(work.resolve("a.tmp"), sb);
                Files.move(work.resolve("a.tmp"), in.resolve("a.log"));

                // the first PUT is refused; its retry waits the longest pause, not the first step of the backoff
                await().atMost(Duration.ofSeconds(30)).until(() -> proxy.refused() >= 1);
                await().during(Duration.ofMillis(1200)).atMost(Duration.ofMillis(1400)).until(() -> proxy.refused() == 1);
                await().atMost(Duration.ofSeconds(10)).until(() -> proxy.refused() >= 2);

                // logged with S3's code and message
                List<String> errors = log.list.stream().filter(e -> e.getLevel() == Level.ERROR)
                        .map(ILoggingEvent::getFormattedMessage).toList();
                assertThat(errors).hasSize(1);
                assertThat(errors.get(0)).startsWith("Ship: upload of s3://" + bucket + "/PERM01/")
                        .contains("failed with a permanent S3 error, 403 SignatureDoesNotMatch: " + SIGNATURE
                                + " (request id FAULTPROXY)")
                        .contains("retried every 1500ms");
                // counted
                assertThat(metric(port, "s3logs_ship_upload_permanent_failures_total")).isGreaterThanOrEqualTo(2);
                assertThat(metric(port, "s3logs_ship_upload_permanent_batches")).isEqualTo(1);
                assertThat(metric(port, "s3logs_ship_upload_failures_total")).isGreaterThanOrEqualTo(2);
                // readiness and /observe/health DOWN with the reason; liveness UP
                for (String path : List.of("/observe/health/ready", "/observe/health")) {
                    HttpResponse<String> r = get(port, path);
                    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(503);
                    assertThat(r.body()).as(path).contains("ship-upload").contains("1 batch waits in the spool")
                            .contains("403 SignatureDoesNotMatch: " + SIGNATURE);
                }
                HttpResponse<String> live = get(port, "/observe/health/live");
                assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
                // the batch stays in the spool, nothing is in the bucket
                List<Path> held = batches(work.resolve("spool"));
                assertThat(held).hasSize(1);
                assertThat(S3Read.keys(s3.client(), bucket)).isEmpty();
                await().atMost(Duration.ofSeconds(10)).until(() -> proxy.refused() >= 3);
                assertThat(held.get(0)).exists();

                proxy.stopRefusing();
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    HttpResponse<String> r = get(port, "/observe/health/ready");
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                });
                await().atMost(Duration.ofSeconds(20)).until(() -> batches(work.resolve("spool")).isEmpty());
                assertThat(S3Read.lines(s3.client(), bucket)).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(S3Read.keys(s3.client(), bucket)).hasSize(1);
                assertThat(get(port, "/observe/health").statusCode()).isEqualTo(200);
                assertThat(metric(port, "s3logs_ship_upload_permanent_batches")).isZero();
                assertThat(metric(port, "s3logs_ship_objects_total")).isEqualTo(1);
                assertThat(log.list.stream().filter(e -> e.getLevel() == Level.INFO)
                        .map(ILoggingEvent::getFormattedMessage))
                        .anyMatch(l -> l.startsWith("Ship: S3 accepts uploads again (s3://" + bucket + "/PERM01/")
                                && l.contains("the last was 403 SignatureDoesNotMatch"));
            }
        } finally {
            logger.detachAppender(log);
            System.out.printf("ShipPermanentErrorIT: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        }
    }
}
