package io.s3logroutes.observe;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.s3logroutes.embedded.EmbeddedS3Server;
import io.s3logroutes.testing.App;
import io.s3logroutes.testing.S3Read;
import io.s3logroutes.testing.ShipProps;
import io.s3logroutes.testing.TestS3;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@code /observe/health} and {@code /observe/metrics} over real HTTP on 127.0.0.1, against a real S3 API. */
class ObserveIT {

    @TempDir
    Path work;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    Map<String, String> props(TestS3 s3, String bucket, int port) {
        Map<String, String> p = new HashMap<>(s3.appProperties(bucket));
        p.putAll(ShipProps.under(work, "SERVER01"));
        p.put("s3logs.ship.batch.max-age", "300ms");
        p.put("s3logs.ship.flush-check-interval", "100ms");
        p.put("s3logs.http.enabled", "true");
        p.put("s3logs.http.port", String.valueOf(port));
        return p;
    }

    HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of one sample line of the Prometheus text format, e.g. {@code s3logs_ship_objects_total}. */
    static Optional<Double> sample(String scrape, String nameAndLabels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(nameAndLabels) + " (\\S+)$").matcher(scrape);
        return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
    }

    /** UP once every polling consumer has polled once (Camel's consumer checks are DOWN before that). */
    void awaitUp(int port) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> r = get(port, "/observe/health");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"UP\"");
        });
    }

    double metric(int port, String nameAndLabels) throws Exception {
        String body = get(port, "/observe/metrics").body();
        return sample(body, nameAndLabels).orElseThrow(() -> new AssertionError(nameAndLabels + " not in\n" + body));
    }

    void drop(String name, String content) throws IOException {
        Path in = Files.createDirectories(work.resolve("in"));
        Path tmp = work.resolve(name + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, in.resolve(name));
    }

    @Test
    void shipMetricsAndHealthUpOverHttpOnLoopbackOnly() throws Exception {
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("observe");
        int port = freePort();
        Map<String, String> p = props(s3, bucket, port);
        p.put("s3logs.ship.gzip", "false");
        try (App app = App.start(p)) {
            awaitUp(port);
            assertThat(metric(port, "s3logs_ship_objects_total")).isZero();

            drop("a.log", "one\ntwo\nthree\n");
            drop("b.log", "four\n");
            await().atMost(Duration.ofSeconds(60)).until(() -> S3Read.keys(s3.client(), bucket).size() == 2);
            long stored = S3Read.all(s3.client(), bucket).stream().mapToLong(o -> o.body().length).sum();
            assertThat(stored).isEqualTo("one\ntwo\nthree\nfour\n".length());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(metric(port, "s3logs_ship_objects_total")).isEqualTo(2.0);
                assertThat(metric(port, "s3logs_ship_bytes_total")).isEqualTo((double) stored);
            });
            assertThat(metric(port, "s3logs_ship_upload_failures_total")).isZero();
            assertThat(metric(port, "s3logs_ship_spool_bytes")).isZero();
            assertThat(metric(port, "s3logs_ship_spool_max_bytes")).isEqualTo(1024.0 * 1024 * 1024);
            double last = metric(port, "s3logs_last_success_seconds{flow=\"ship\"}");
            assertThat(last).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60.0));
            // Camel's own meters are in the same scrape
            assertThat(get(port, "/observe/metrics").body()).contains("routeId=\"ship-put\"");

            // bound to 127.0.0.1: another address of this host is refused
            Optional<InetAddress> other = NetworkInterface.networkInterfaces()
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(a -> !a.isLoopbackAddress() && a instanceof java.net.Inet4Address).findFirst();
            if (other.isPresent()) {
                assertThatThrownBy(() -> new Socket(other.get(), port).close()).isInstanceOf(ConnectException.class);
            }
        }
        assertThatThrownBy(() -> get(port, "/observe/health")).isInstanceOf(ConnectException.class);
    }

    @Test
    void eventsInAndOutPerInputEqualTheLinesShipped() throws Exception {
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("perinput");
        int port = freePort();
        Map<String, String> p = props(s3, bucket, port);
        p.put("s3logs.ship.gzip", "false");
        Path tailed = Files.createDirectories(work.resolve("tail")).resolve("app.log");
        Files.writeString(tailed, "");
        p.put("s3logs.ship.tail", tailed.toString());
        p.put("s3logs.ship.tail-poll-interval", "100ms");
        p.put("s3logs.ship.read-from-last", "false");
        try (App app = App.start(p)) {
            awaitUp(port);
            for (String input : List.of("ship-file", "ship-tail", "ship-syslog-udp", "ship-syslog-tcp")) {
                assertThat(metric(port, "s3logs_ship_events_in_total{input=\"" + input + "\"}")).as(input).isZero();
                assertThat(metric(port, "s3logs_ship_events_out_total{input=\"" + input + "\"}")).as(input).isZero();
            }
            StringBuilder dropped = new StringBuilder();
            for (int i = 0; i < 250; i++) {
                dropped.append("dropped line ").append(i).append('\n');
            }
            drop("a.log", dropped.toString());
            drop("b.log", "one more dropped line\n");
            StringBuilder tail = new StringBuilder();
            for (int i = 0; i < 120; i++) {
                tail.append("tailed line ").append(i).append('\n');
            }
            Files.writeString(tailed, tail.toString(), java.nio.file.StandardOpenOption.APPEND);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                long lines = S3Read.all(s3.client(), bucket).stream().mapToLong(o -> o.lines().size()).sum();
                assertThat(lines).isEqualTo(251 + 120);
            });
            List<String> stored = S3Read.all(s3.client(), bucket).stream().flatMap(o -> o.lines().stream()).toList();
            long fromFiles = stored.stream().filter(l -> l.contains("dropped line")).count();
            long fromTail = stored.stream().filter(l -> l.startsWith("tailed line")).count();
            assertThat(fromFiles).isEqualTo(251);
            assertThat(fromTail).isEqualTo(120);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(metric(port, "s3logs_ship_events_in_total{input=\"ship-file\"}")).isEqualTo(fromFiles);
                assertThat(metric(port, "s3logs_ship_events_out_total{input=\"ship-file\"}")).isEqualTo(fromFiles);
                assertThat(metric(port, "s3logs_ship_events_in_total{input=\"ship-tail\"}")).isEqualTo(fromTail);
                assertThat(metric(port, "s3logs_ship_events_out_total{input=\"ship-tail\"}")).isEqualTo(fromTail);
                assertThat(metric(port, "s3logs_ship_objects_total"))
                        .isEqualTo(S3Read.keys(s3.client(), bucket).size());
            });
            assertThat(metric(port, "s3logs_ship_events_in_total{input=\"ship-syslog-udp\"}")).isZero();
            assertThat(metric(port, "s3logs_ship_upload_retries_total")).isZero();
            assertThat(metric(port, "s3logs_ship_upload_failures_total")).isZero();
        }
    }

    @Test
    void healthIsDownWhileS3IsUnreachableAndWhileTheSpoolIsFull() throws Exception {
        try (TestS3 own = TestS3.start(EmbeddedS3Server.Storage.FILESYSTEM, Files.createDirectories(work.resolve("s3")))) {
            String bucket = own.newBucket("down");
            int port = freePort();
            Map<String, String> p = props(own, bucket, port);
            p.put("s3logs.ship.spool-max-bytes", "64KiB");
            p.put("s3logs.ship.gzip", "false");
            p.put("s3logs.ship.retry-initial-delay", "200ms");
            p.put("s3logs.ship.retry-max-delay", "1s");
            p.put("s3logs.health.s3-timeout", "2s");
            try (App app = App.start(p)) {
                awaitUp(port);

                own.stopServer();
                long t0 = System.nanoTime();
                HttpResponse<String> down = get(port, "/observe/health");
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
                assertThat(down.body()).contains("\"DOWN\"").contains("s3").contains(bucket).contains("unreachable")
                        .doesNotContain("ship-spool");
                assertThat(ms).as("answer time with S3 down").isLessThan(10_000);

                // 100 KiB of lines: more than the spool may hold while nothing reaches S3
                StringBuilder sb = new StringBuilder();
                for (int i = 0; sb.length() < 100 * 1024; i++) {
                    sb.append("line ").append(i).append(" of a log that cannot be shipped now\n");
                }
                drop("big.log", sb.toString());
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    HttpResponse<String> r = get(port, "/observe/health");
                    assertThat(r.statusCode()).isEqualTo(503);
                    assertThat(r.body()).contains("ship-spool").contains("is full");
                });
                // S3 and the spool are readiness checks: the process is still live
                HttpResponse<String> ready = get(port, "/observe/health/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).contains("ship-spool").contains("unreachable");
                HttpResponse<String> live = get(port, "/observe/health/live?exposureLevel=full");
                assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
                assertThat(live.body()).contains("\"routes\"").doesNotContain("ship-spool").doesNotContain("\"s3\"");
                assertThat(metric(port, "s3logs_ship_spool_bytes")).isGreaterThanOrEqualTo(64 * 1024);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> metric(port, "s3logs_ship_upload_failures_total") >= 1);
                // the route retries the failed upload: each retry is one more attempt, and fails too while S3 is down
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> metric(port, "s3logs_ship_upload_retries_total") >= 1);
                assertThat(metric(port, "s3logs_ship_events_out_total{input=\"ship-file\"}")).isZero();

                own.restart();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    HttpResponse<String> r = get(port, "/observe/health");
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                });
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    String text = String.join("", S3Read.all(own.client(), bucket).stream().map(S3Read.Obj::text).toList());
                    assertThat(text.length()).isEqualTo(sb.length());
                });
                long lines = sb.chars().filter(c -> c == '\n').count();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    assertThat(metric(port, "s3logs_ship_events_in_total{input=\"ship-file\"}")).isEqualTo(lines);
                    assertThat(metric(port, "s3logs_ship_events_out_total{input=\"ship-file\"}")).isEqualTo(lines);
                });
                // a retry follows a failed attempt
                assertThat(metric(port, "s3logs_ship_upload_retries_total"))
                        .isLessThanOrEqualTo(metric(port, "s3logs_ship_upload_failures_total"));
            }
        }
    }

    @Test
    void fetchAndCollapseMetrics() throws Exception {
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("obsfetch");
        int port = freePort();
        Instant keyTime = Instant.now().minus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String base = "SERVER01/" + DateTimeFormatter.ofPattern("yyyy-MM-dd/HH.mm.ss").withZone(ZoneOffset.UTC)
                .format(keyTime);
        List<String> bodies = List.of("a1\na2\n", "b1\n");
        for (int i = 0; i < bodies.size(); i++) {
            String key = base + "-00000" + (i + 1);
            s3.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(bodies.get(i)));
        }
        Map<String, String> p = new HashMap<>(s3.appProperties(bucket));
        p.put("s3logs.http.enabled", "true");
        p.put("s3logs.http.port", String.valueOf(port));
        p.put("s3logs.fetch.enabled", "true");
        p.put("s3logs.fetch.prefix", "SERVER01/");
        p.put("s3logs.fetch.initial-delay", "100ms");
        p.put("s3logs.fetch.poll-interval", "500ms");
        p.put("s3logs.fetch.settle", "1s");
        p.put("s3logs.fetch.output-file", work.resolve("out/fetched.log").toString());
        p.put("s3logs.fetch.checkpoint-file", work.resolve("lastkey.log").toString());
        p.put("s3logs.fetch.failed-file", work.resolve("failed.log").toString());
        p.put("s3logs.quickstart.report-interval", "1h");
        p.putAll(io.s3logroutes.testing.CollapseProps.manual("nothing-here/"));
        try (App app = App.start(p)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(metric(port, "s3logs_fetch_objects_total")).isEqualTo(2.0));
            assertThat(Files.readString(work.resolve("out/fetched.log"), StandardCharsets.UTF_8)).isEqualTo("a1\na2\nb1\n");
            assertThat(metric(port, "s3logs_fetch_bytes_total")).isEqualTo(9.0);
            assertThat(metric(port, "s3logs_fetch_failed_objects_total")).isZero();
            double lag = metric(port, "s3logs_fetch_lag_seconds");
            double expected = Instant.now().getEpochSecond() - keyTime.getEpochSecond();
            assertThat(lag).isBetween(expected - 5, expected + 5);
            assertThat(metric(port, "s3logs_last_success_seconds{flow=\"fetch\"}")).isPositive();

            assertThat(metric(port, "s3logs_collapse_runs_total")).isZero();
            assertThat(metric(port, "s3logs_last_success_seconds{flow=\"collapse\"}")).isZero();
            // one run of the route collapse-s3 (its schedule does not fire here): the exchange goes through every step
            Exchange runExchange = new DefaultExchange(app.context());
            app.context().getRoute("collapse-s3").getProcessor().process(runExchange);
            assertThat(runExchange.getException()).isNull();
            assertThat(runExchange.getMessage().getHeader("S3LogsCollapseFailed", Long.class)).isZero();
            assertThat(metric(port, "s3logs_collapse_runs_total")).isEqualTo(1.0);
            assertThat(metric(port, "s3logs_collapse_failures_total")).isZero();
            assertThat(metric(port, "s3logs_collapse_objects_total")).isZero();
            assertThat(metric(port, "s3logs_last_success_seconds{flow=\"collapse\"}")).isPositive();
        }
    }

    @Test
    void fetchSilentLongerThanItsLimitIsDown() throws Exception {
        try (TestS3 own = TestS3.start(EmbeddedS3Server.Storage.FILESYSTEM, Files.createDirectories(work.resolve("s3")))) {
            String bucket = own.newBucket("silence");
            int port = freePort();
            Map<String, String> p = new HashMap<>(own.appProperties(bucket));
            p.put("s3logs.http.enabled", "true");
            p.put("s3logs.http.port", String.valueOf(port));
            p.put("s3logs.fetch.enabled", "true");
            p.put("s3logs.fetch.initial-delay", "100ms");
            p.put("s3logs.fetch.poll-interval", "300ms");
            p.put("s3logs.fetch.output-file", work.resolve("out/fetched.log").toString());
            p.put("s3logs.fetch.checkpoint-file", work.resolve("lastkey.log").toString());
            p.put("s3logs.fetch.failed-file", work.resolve("failed.log").toString());
            p.put("s3logs.quickstart.report-interval", "1h");
            p.put("s3logs.health.fetch-max-silence", "3s");
            p.put("s3logs.health.s3-timeout", "1s");
            try (App app = App.start(p)) {
                awaitUp(port);
                own.stopServer();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    HttpResponse<String> r = get(port, "/observe/health");
                    assertThat(r.statusCode()).isEqualTo(503);
                    assertThat(r.body()).contains("last-success").contains("fetch: last success")
                            .contains("s3logs.health.fetch-max-silence=3s");
                });
                own.restart();
                awaitUp(port);
            }
        }
    }

    @Test
    void theCollapseCommandRunsBesideAServiceThatHoldsThePort() throws Exception {
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("cmdport");
        int port = freePort();
        try (App app = App.start(props(s3, bucket, port))) {
            awaitUp(port);
            Map<String, String> sys = new HashMap<>(s3.appProperties(bucket));
            sys.put("s3logs.http.port", String.valueOf(port));
            sys.put("s3logs.collapse.input-prefix", "nothing-here/");
            Path log = work.resolve("collapse.log");
            Process p = io.s3logroutes.testing.ChildJvm.start(work, log, sys, s3.credentialsEnv(), "collapse");
            assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(log);
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("no objects").doesNotContain("Vert.x HttpServer started");
            awaitUp(port);
        }
    }

    @Test
    void httpCanBeSwitchedOff() throws Exception {
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("nohttp");
        int port = freePort();
        Map<String, String> p = props(s3, bucket, port);
        p.put("s3logs.http.enabled", "false");
        try (App app = App.start(p)) {
            drop("a.log", "x\n");
            await().atMost(Duration.ofSeconds(60)).until(() -> S3Read.keys(s3.client(), bucket).size() == 1);
            assertThatThrownBy(() -> get(port, "/observe/health")).isInstanceOf(ConnectException.class);
        }
    }
}
