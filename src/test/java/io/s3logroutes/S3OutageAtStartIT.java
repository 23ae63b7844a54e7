package io.s3logroutes;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.s3logroutes.embedded.EmbeddedS3Server;
import io.s3logroutes.event.EventCodec;
import io.s3logroutes.testing.ChildJvm;
import io.s3logroutes.testing.FaultProxy;
import io.s3logroutes.testing.FetchProps;
import io.s3logroutes.testing.S3Read;
import io.s3logroutes.testing.ShipProps;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A start while S3 does not answer: the process stays up, live is 200 and ready 503, files and syslog go into the
 * spool; once S3 is back, ready turns 200 and every line lands exactly once.
 */
class S3OutageAtStartIT {

    @TempDir
    Path work;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static long count(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(suffix)).count();
        }
    }

    static long lines(String text, String part) {
        return text.lines().filter(l -> l.contains(part)).count();
    }

    @Test
    void startsDuringAnOutageSpoolsAndShipsEveryLineOnceWhenS3IsBack() throws Exception {
        try (TestS3 s3 = TestS3.start(EmbeddedS3Server.Storage.FILESYSTEM, Files.createDirectories(work.resolve("s3")))) {
            String bucket = s3.newBucket("atstart");
            s3.stopServer();

            int port = EmbeddedS3Server.freePort();
            int syslogPort = EmbeddedS3Server.freePort();
            Map<String, String> p = new HashMap<>(s3.appProperties(bucket));
            p.putAll(ShipProps.under(work, "SERVER01"));
            p.put("s3logs.http.enabled", "true");
            p.put("s3logs.http.port", Integer.toString(port));
            p.put("s3logs.ship.format", "json");
            p.put("s3logs.ship.gzip", "false");
            p.put("s3logs.ship.batch.max-events", "100");
            p.putAll(ShipProps.quick());
            p.put("s3logs.syslog.enabled", "true");
            p.put("s3logs.syslog.udp-port", Integer.toString(syslogPort));
            p.put("s3logs.syslog.tcp-port", Integer.toString(syslogPort));
            p.put("s3logs.health.s3-timeout", "1s");
            Path log = work.resolve("child.log");
            Process proc = ChildJvm.start(work, log, p, s3.credentialsEnv());
            try {
                // up although S3 does not answer: live 200, ready 503 naming the bucket
                HttpResponse<String> ready = liveButNotReady(port);
                assertThat(ready.body()).contains(bucket).contains("unreachable");
                assertThat(get(port, "/observe/health").statusCode()).isEqualTo(503);
                String started = Files.readString(log);
                assertThat(lines(started, "[WARN]")).as(started).isEqualTo(1);
                assertThat(started).contains("is unreachable", "starting anyway").doesNotContain("\tat ");

                List<String> expected = new ArrayList<>();
                Path in = Files.createDirectories(work.resolve("in"));
                for (int f = 0; f < 5; f++) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < 300; i++) {
                        String l = "file " + f + " line " + i;
                        expected.add(l);
                        sb.append(l).append('\n');
                    }
                    Path tmp = work.resolve("f" + f + ".tmp");
                    Files.writeString(tmp, sb);
                    Files.move(tmp, in.resolve("f" + f + ".log"));
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), syslogPort), 5000);
                    OutputStream out = s.getOutputStream();
                    for (int i = 0; i < 50; i++) {
                        String frame = "<13>Nov  2 01:02:03 host app[5]: syslog line " + i;
                        expected.add(frame);
                        out.write((frame + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                    out.flush();
                }
                // everything is taken into the spool while S3 is away
                await().atMost(Duration.ofSeconds(30)).until(() -> count(work.resolve("done"), ".log") == 5
                        && count(work.resolve("spool"), ".batch") >= 16);
                assertThat(proc.isAlive()).isTrue();
                assertThat(get(port, "/observe/health/live").statusCode()).isEqualTo(200);

                s3.restart();
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                    HttpResponse<String> r = get(port, "/observe/health/ready");
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                });
                await().atMost(Duration.ofSeconds(60)).until(() -> count(work.resolve("spool"), ".batch") == 0);
                List<String> shipped = new ArrayList<>();
                for (String l : S3Read.lines(s3.client(), bucket)) {
                    shipped.add(EventCodec.fromJson(l).rawText());
                }
                assertThat(shipped).containsExactlyInAnyOrderElementsOf(expected);
                await().atMost(Duration.ofSeconds(15)).until(() -> Files.readString(log).contains("S3 answers again"));
            } finally {
                proc.destroy();
                assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    @Test
    void startsWhileS3AnswersSlowDownAndFetchWaitsForItToo() throws Exception {
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("slowstart");
        try (FaultProxy proxy = new FaultProxy(s3.server().endpoint(), 1.0, 11)
                .kinds(List.of(FaultProxy.Fault.SLOW_DOWN))) {
            int port = EmbeddedS3Server.freePort();
            Map<String, String> p = new HashMap<>(s3.appProperties(bucket));
            p.putAll(ShipProps.under(work, "SLOW01"));
            p.put("s3logs.s3.endpoint", proxy.endpoint().toString());
            p.put("s3logs.s3.max-attempts", "1");
            p.put("s3logs.http.enabled", "true");
            p.put("s3logs.http.port", Integer.toString(port));
            p.put("s3logs.ship.gzip", "false");
            p.putAll(ShipProps.quick());
            p.put("s3logs.ship.max-upload-delay", "2s");
            p.putAll(FetchProps.under(work, "SLOW01/"));
            p.put("s3logs.fetch.settle", "2s");
            Path log = work.resolve("child.log");
            Process proc = ChildJvm.start(work, log, p, s3.credentialsEnv());
            try {
                HttpResponse<String> ready = liveButNotReady(port);
                assertThat(ready.body()).contains(bucket).contains("answered HTTP 503");
                assertThat(Files.readString(log)).contains("answered HTTP 503", "starting anyway");

                List<String> expected = new ArrayList<>();
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < 500; i++) {
                    expected.add("slow line " + i);
                    sb.append("slow line ").append(i).append('\n');
                }
                Path in = Files.createDirectories(work.resolve("in"));
                Files.writeString(work.resolve("a.tmp"), sb);
                Files.move(work.resolve("a.tmp"), in.resolve("a.log"));
                await().atMost(Duration.ofSeconds(30)).until(() -> count(work.resolve("done"), ".log") == 1
                        && count(work.resolve("spool"), ".batch") >= 1);
                // fetch polled and failed meanwhile, and nothing was written
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("Fetch: poll failed"));
                assertThat(proc.isAlive()).isTrue();
                assertThat(S3Read.keys(s3.client(), bucket)).isEmpty();

                proxy.faultRate(0);
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                        assertThat(get(port, "/observe/health/ready").statusCode()).isEqualTo(200));
                Path out = work.resolve("out.log");
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(out)
                        && Files.readAllLines(out).size() >= expected.size() && count(work.resolve("spool"), ".batch") == 0);
                assertThat(S3Read.lines(s3.client(), bucket)).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(Files.readAllLines(out)).containsExactlyElementsOf(expected);
                assertThat(work.resolve("failed.log")).doesNotExist();
                String text = Files.readString(log);
                // polls every 300 ms, but one WARN line a minute at most (two if the outage spanned a minute mark)
                assertThat(lines(text, "Fetch: poll failed")).as(text).isBetween(1L, 2L);
                assertThat(text).contains("S3 answers again").contains("Fetch: S3 answers again");
            } finally {
                proc.destroy();
                assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    /** Waits until the process is live (200), then returns its readiness answer, which must be 503. */
    HttpResponse<String> liveButNotReady(int port) throws Exception {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            HttpResponse<String> live = get(port, "/observe/health/live");
            assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
        });
        HttpResponse<String> ready = get(port, "/observe/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
        return ready;
    }
}
