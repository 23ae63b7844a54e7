package io.s3logroutes.syslog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.s3logroutes.embedded.EmbeddedS3Server;
import io.s3logroutes.event.EventCodec;
import io.s3logroutes.event.LogEvent;
import io.s3logroutes.ship.ShipPipeline;
import io.s3logroutes.testing.ShipProps;
import io.s3logroutes.testing.App;
import io.s3logroutes.testing.S3Read;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/** The syslog inputs over real sockets on 127.0.0.1, shipping to a real S3 API. */
class SyslogIT {

    @TempDir
    Path work;

    final TestS3 s3 = TestS3.shared();
    final int udpPort = EmbeddedS3Server.freePort();
    final int tcpPort = EmbeddedS3Server.freePort();

    Map<String, String> props(TestS3 server, String bucket) {
        Map<String, String> p = new HashMap<>(server.appProperties(bucket));
        p.putAll(ShipProps.under(work, "SYSLOG01"));
        p.put("s3logs.ship.batch.max-age", "1s");
        p.put("s3logs.ship.flush-check-interval", "200ms");
        p.put("s3logs.syslog.enabled", "true");
        p.put("s3logs.syslog.udp-port", Integer.toString(udpPort));
        p.put("s3logs.syslog.tcp-port", Integer.toString(tcpPort));
        return p;
    }

    static List<LogEvent> events(TestS3 server, String bucket) throws IOException {
        List<LogEvent> out = new ArrayList<>();
        for (String l : S3Read.lines(server.client(), bucket)) {
            out.add(EventCodec.fromJson(l));
        }
        return out;
    }

    static LogEvent find(List<LogEvent> events, String text) {
        return events.stream().filter(e -> e.rawText().contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no event with " + text + " in " + events));
    }

    void udp(byte[] datagram) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), udpPort));
        }
    }

    Socket tcp() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcpPort), 5000);
        return s;
    }

    static byte[] octet(String msg) {
        byte[] b = msg.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = (b.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix.length + b.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(b, 0, out, prefix.length, b.length);
        return out;
    }

    static byte[] line(String msg) {
        return (msg + "\n").getBytes(StandardCharsets.UTF_8);
    }

    void logger(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/logger", "--server", "127.0.0.1"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("logger %s: %s", cmd, new String(p.getInputStream().readAllBytes())).isZero();
    }

    @Test
    void loggerAndJavaClientsOverUdpAndTcpInBothFramingsShipEveryField() throws Exception {
        assumeThat(Files.isExecutable(Path.of("/usr/bin/logger"))).as("util-linux logger").isTrue();
        String bucket = s3.newBucket("syslog-json");
        Map<String, String> p = props(s3, bucket);
        p.put("s3logs.ship.format", "json");
        p.put("s3logs.ship.gzip", "true");
        String big = "B".repeat(60_000);
        try (App app = App.start(p)) {
            String u = Integer.toString(udpPort);
            String t = Integer.toString(tcpPort);
            logger("--port", u, "--udp", "--rfc3164", "-t", "app3164u", "-p", "daemon.warning", "udp 3164 héllo");
            logger("--port", u, "--udp", "--rfc5424", "-t", "app5424u", "--msgid", "MU", "udp 5424 wörld");
            logger("--port", t, "--tcp", "--rfc3164", "-t", "app3164t", "-p", "local3.err", "tcp 3164 line");
            logger("--port", t, "--tcp", "--rfc5424", "-t", "app5424t", "--sd-id", "x@32473", "--sd-param",
                    "a=\"b\\]c\"", "tcp 5424 line");
            logger("--port", t, "--tcp", "--octet-count", "--rfc5424", "-t", "appoct", "tcp 5424 octet");
            logger("--port", t, "--tcp", "--octet-count", "--rfc3164", "-t", "appoct3164", "tcp 3164 octet");

            udp("<165>1 2026-11-22T02:43:40.5+01:00 java-host javaapp 77 ID47 [ex@1 k=\"v\"] java udp".getBytes(
                    StandardCharsets.UTF_8));
            udp(("<14>Nov 22 02:43:40 java-host bigapp: " + big).getBytes(StandardCharsets.UTF_8));
            try (Socket s = tcp(); OutputStream out = s.getOutputStream()) {
                out.write(octet("<11>1 - java-host javatcp - - - multi\nline octet"));
                out.write(line("<12>Nov  2 01:02:03 java-host javatcp[5]: java tcp newline"));
                out.write(octet("<13>1 - java-host javatcp - - - java tcp octet after newline"));
                out.flush();
            }
            await().ignoreExceptions().atMost(Duration.ofSeconds(60)).until(() -> events(s3, bucket).size() >= 11);
        }
        List<LogEvent> events = events(s3, bucket);
        assertThat(events).hasSize(11);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.fields()).containsEntry("SourceModuleType", "syslog")
                    .containsEntry("MessageSourceAddress", "127.0.0.1")
                    .containsKeys("EventReceivedTime", "SyslogFacility", "SyslogFacilityValue", "SyslogSeverity",
                            "SyslogSeverityValue", "Message")
                    .doesNotContainKey("SyslogParseError");
            assertThat(e.fields().get("SourceModuleName")).isIn("ship-syslog-udp", "ship-syslog-tcp");
        });

        LogEvent u3164 = find(events, "udp 3164 héllo");
        assertThat(u3164.fields()).containsEntry("SourceModuleName", "ship-syslog-udp")
                .containsEntry("SyslogFacility", "daemon").containsEntry("SyslogFacilityValue", 3)
                .containsEntry("SyslogSeverity", "warning").containsEntry("SyslogSeverityValue", 4)
                .containsEntry("SourceName", "app3164u").containsEntry("Message", "udp 3164 héllo")
                .containsKeys("EventTime", "Hostname");
        assertThat(u3164.rawText()).startsWith("<28>").endsWith("app3164u: udp 3164 héllo");

        LogEvent u5424 = find(events, "udp 5424 wörld");
        assertThat(u5424.fields()).containsEntry("SourceName", "app5424u").containsEntry("MessageID", "MU")
                .containsEntry("Message", "udp 5424 wörld").containsKeys("EventTime", "Hostname", "StructuredData");
        assertThat((String) u5424.fields().get("StructuredData")).startsWith("[timeQuality ");

        LogEvent t3164 = find(events, "tcp 3164 line");
        assertThat(t3164.fields()).containsEntry("SourceModuleName", "ship-syslog-tcp")
                .containsEntry("SyslogFacility", "local3").containsEntry("SyslogSeverity", "err")
                .containsEntry("SourceName", "app3164t");

        LogEvent t5424 = find(events, "tcp 5424 line");
        assertThat((String) t5424.fields().get("StructuredData")).endsWith("[x@32473 a=\"b\\]c\"]");
        assertThat(t5424.rawText()).doesNotEndWith("\n");

        assertThat(find(events, "tcp 5424 octet").fields()).containsEntry("SourceName", "appoct")
                .containsEntry("Message", "tcp 5424 octet");
        assertThat(find(events, "tcp 3164 octet").fields()).containsEntry("SourceName", "appoct3164");

        LogEvent javaUdp = find(events, "java udp");
        assertThat(javaUdp.fields()).containsEntry("SyslogFacility", "local4").containsEntry("SyslogSeverity", "notice")
                .containsEntry("EventTime", "2026-11-22T01:43:40.500Z").containsEntry("Hostname", "java-host")
                .containsEntry("SourceName", "javaapp").containsEntry("ProcessID", "77")
                .containsEntry("MessageID", "ID47").containsEntry("StructuredData", "[ex@1 k=\"v\"]")
                .containsEntry("Message", "java udp");
        assertThat(find(events, big).fields()).containsEntry("Message", big).containsEntry("SourceName", "bigapp");
        LogEvent multi = find(events, "multi\nline octet");
        assertThat(multi.rawText()).isEqualTo("<11>1 - java-host javatcp - - - multi\nline octet");
        assertThat(find(events, "java tcp newline").fields()).containsEntry("ProcessID", "5")
                .containsEntry("SourceName", "javatcp").containsEntry("Message", "java tcp newline");
        assertThat(find(events, "octet after newline").fields()).containsEntry("Message",
                "java tcp octet after newline");
    }

    @Test
    void tenThousandMessagesOverFourTcpConnectionsArriveExactlyAsSent() throws Exception {
        String bucket = s3.newBucket("syslog-load");
        Map<String, String> p = props(s3, bucket);
        p.put("s3logs.ship.format", "raw");
        p.put("s3logs.ship.gzip", "true");
        p.put("s3logs.ship.batch.max-events", "1500");
        int perConnection = 2500;
        List<String> sent = new ArrayList<>();
        List<List<String>> byConnection = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            List<String> msgs = new ArrayList<>();
            for (int i = 0; i < perConnection; i++) {
                msgs.add(i % 2 == 0
                        ? "<134>1 2026-11-22T02:43:40." + String.format("%06d", i) + "Z load-" + c + " loadgen " + c
                                + " M" + i + " [seq@1 n=\"" + i + "\"] connection " + c + " message " + i + " ünïcode"
                        : "<134>Nov 22 02:43:40 load-" + c + " loadgen[" + c + "]: connection " + c + " message " + i);
            }
            byConnection.add(msgs);
            sent.addAll(msgs);
        }
        long started;
        long elapsed;
        try (App app = App.start(p)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            started = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                boolean octetCounting = c % 2 == 0;
                List<String> msgs = byConnection.get(c);
                done.add(pool.submit(() -> {
                    try (Socket s = tcp(); OutputStream out = new java.io.BufferedOutputStream(s.getOutputStream())) {
                        for (String m : msgs) {
                            out.write(octetCounting ? octet(m) : line(m));
                        }
                        out.flush();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            await().ignoreExceptions().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> S3Read.lines(s3.client(), bucket).size() >= sent.size());
            elapsed = System.nanoTime() - started;
        }
        List<String> shipped = S3Read.lines(s3.client(), bucket);
        assertThat(shipped).hasSize(10_000);
        assertThat(shipped).containsExactlyInAnyOrderElementsOf(sent);
        // within each object (batch), each connection's messages keep the order they were sent in
        List<S3Read.Obj> objects = S3Read.all(s3.client(), bucket);
        assertThat(objects).hasSizeGreaterThanOrEqualTo(7);
        for (S3Read.Obj o : objects) {
            for (int c = 0; c < 4; c++) {
                String tag = "connection " + c + " ";
                List<String> lines = o.lines().stream().filter(l -> l.contains(tag)).toList();
                assertThat(lines).isSubsetOf(byConnection.get(c));
                List<Integer> positions = lines.stream().map(byConnection.get(c)::indexOf).toList();
                assertThat(positions).as("order of connection %d in %s", c, o.key()).isSorted();
            }
        }
        assertThat(S3Read.keys(s3.client(), bucket)).allMatch(k -> k.matches("^SYSLOG01/.*-\\d{6}\\.gz$"));
        System.out.printf("SyslogIT: 10000 messages over 4 TCP connections in S3 after %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(elapsed));
    }

    @Test
    void twoHundredConcurrentTcpClients() throws Exception {
        String bucket = s3.newBucket("syslog-clients");
        Map<String, String> p = props(s3, bucket);
        p.put("s3logs.ship.gzip", "false");
        int clients = 200;
        int each = 5;
        List<String> sent = new ArrayList<>();
        try (App app = App.start(p)) {
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int c = 0; c < clients; c++) {
                    sockets.add(tcp());
                }
                // every connection is open before any sends, then they send interleaved
                for (int i = 0; i < each; i++) {
                    for (int c = 0; c < clients; c++) {
                        String m = "<13>1 - client-" + c + " many - - - client " + c + " message " + i;
                        sent.add(m);
                        byte[] frame = c % 2 == 0 ? octet(m) : line(m);
                        sockets.get(c).getOutputStream().write(frame);
                    }
                }
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
            await().ignoreExceptions().atMost(Duration.ofSeconds(60))
                    .until(() -> S3Read.lines(s3.client(), bucket).size() >= sent.size());
        }
        assertThat(S3Read.lines(s3.client(), bucket)).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void garbageOversizeAndDisconnectsDoNotStopTheRoute() throws Exception {
        String bucket = s3.newBucket("syslog-bad");
        Map<String, String> p = props(s3, bucket);
        p.put("s3logs.ship.format", "json");
        p.put("s3logs.ship.gzip", "false");
        p.put("s3logs.syslog.max-frame-bytes", "1KiB");
        try (App app = App.start(p); Socket good = tcp()) {
            OutputStream g = good.getOutputStream();
            g.write(line("<13>1 - h good - - - before"));
            g.flush();

            try (Socket garbage = tcp()) {
                garbage.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                garbage.getOutputStream().write(new byte[]{'<', '1', '3', '>', '1', ' ', (byte) 0xff, '\n'});
            }
            udp(new byte[]{0, 1, 2, 3, (byte) 0xfe});

            try (Socket oversize = tcp()) {
                OutputStream o = oversize.getOutputStream();
                o.write(line("<13>1 - h oversize - - - fine"));
                o.write(octet("<13>1 - h oversize - - - " + "z".repeat(2000)));
                o.flush();
                InputStream in = oversize.getInputStream();
                oversize.setSoTimeout(10_000);
                assertThat(in.read()).as("the server closes the connection").isEqualTo(-1);
            }

            try (Socket cut = tcp()) {
                cut.getOutputStream().write("300 <13>1 - h cut - - - only part".getBytes(StandardCharsets.UTF_8));
                cut.getOutputStream().flush();
            }

            g.write(line("<13>1 - h good - - - after"));
            g.flush();
            udp(line("<13>1 - h good - - - udp after"));
            await().ignoreExceptions().atMost(Duration.ofSeconds(60)).until(() -> events(s3, bucket).size() >= 10);
            SyslogStats stats = app.context().getRegistry().lookupByNameAndType("syslogStats", SyslogStats.class);
            assertThat(stats.oversize()).isEqualTo(1);
            assertThat(stats.truncated()).isEqualTo(1);
            assertThat(stats.parseErrors()).isEqualTo(6);
        }
        List<LogEvent> events = events(s3, bucket);
        assertThat(events).hasSize(10);
        assertThat(find(events, "before").fields()).containsEntry("Message", "before");
        assertThat(find(events, "- after").fields()).containsEntry("Message", "after");
        assertThat(find(events, "udp after").fields()).containsEntry("Message", "udp after")
                .containsEntry("SourceModuleName", "ship-syslog-udp");
        assertThat(find(events, "oversize - - - fine").fields()).containsEntry("Message", "fine");

        List<LogEvent> errors = events.stream().filter(e -> e.fields().containsKey("SyslogParseError")).toList();
        assertThat(errors).hasSize(6);
        assertThat(errors).allSatisfy(e -> assertThat(e.fields()).containsOnlyKeys("EventReceivedTime",
                "SourceModuleName", "SourceModuleType", "MessageSourceAddress", "SyslogParseError"));
        assertThat(errors).extracting(LogEvent::rawText).contains("GET / HTTP/1.1", "Host: x");
        assertThat(find(events, "HTTP/1.1").fields().get("SyslogParseError"))
                .isEqualTo("no <PRI> at the start of the frame");
        LogEvent bin = errors.stream().filter(e -> e.fields().get("SourceModuleName").equals("ship-syslog-udp"))
                .findFirst().orElseThrow();
        assertThat(bin.raw()).containsExactly(0, 1, 2, 3, (byte) 0xfe);
        assertThat(find(events, "zzzz").fields().get("SyslogParseError").toString())
                .contains("exceeds s3logs.syslog.max-frame-bytes (1024)");
        assertThat(find(events, "only part").fields().get("SyslogParseError"))
                .isEqualTo("connection closed after 29 of the 300 bytes of an octet-counted frame");
        LogEvent ff = errors.stream().filter(e -> e.raw().length == 7 && e.raw()[0] == (byte) 0x3c).findFirst().orElseThrow();
        assertThat(ff.raw()).containsExactly('<', '1', '3', '>', '1', ' ', (byte) 0xff);
    }

    @Test
    void aFullSpoolStopsReadingTcpAndDropsUdpWithACount() throws Exception {
        try (TestS3 server = TestS3.start(EmbeddedS3Server.Storage.FILESYSTEM, work.resolve("s3"))) {
            String bucket = server.newBucket("syslog-full");
            Map<String, String> p = props(server, bucket);
            p.put("s3logs.s3.max-attempts", "2");
            p.put("s3logs.s3.call-attempt-timeout", "2s");
            p.put("s3logs.ship.retry-initial-delay", "200ms");
            p.put("s3logs.ship.retry-max-delay", "2s");
            p.put("s3logs.ship.batch.max-events", "2000");
            p.put("s3logs.ship.gzip", "false");
            p.put("s3logs.ship.spool-max-bytes", "256KiB");
            int total = 200_000;
            try (App app = App.start(p)) {
                ShipPipeline pipeline = app.context().getRegistry().lookupByNameAndType("shipPipeline",
                        ShipPipeline.class);
                SyslogStats stats = app.context().getRegistry().lookupByNameAndType("syslogStats", SyslogStats.class);
                server.stopServer();
                ExecutorService pool = Executors.newSingleThreadExecutor();
                Future<?> sender = pool.submit(() -> {
                    try (Socket s = tcp(); OutputStream out = new java.io.BufferedOutputStream(s.getOutputStream())) {
                        for (int i = 0; i < total; i++) {
                            out.write(line("<13>1 - h tcpload - - - message " + i + " " + "p".repeat(80)));
                        }
                        out.flush();
                    }
                    return null;
                });
                await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.spool().isFull());
                // the input stops: nothing more is accepted and the sender cannot finish
                long accepted = pipeline.eventsAccepted();
                await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                        .until(() -> pipeline.eventsAccepted() == accepted && !sender.isDone());
                assertThat(accepted).isLessThan(total);
                for (int i = 0; i < 50; i++) {
                    udp(("<13>1 - h udpwhilefull - - - datagram " + i).getBytes(StandardCharsets.UTF_8));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> stats.udpDropped() == 50);

                server.restart();
                sender.get(180, TimeUnit.SECONDS);
                pool.shutdown();
                await().ignoreExceptions().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> pipeline.eventsAccepted() == total && pipeline.spool().pending().isEmpty()
                                && !pipeline.spool().isFull());
                udp("<13>1 - h udpafter - - - datagram after".getBytes(StandardCharsets.UTF_8));
                await().ignoreExceptions().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                        .until(() -> S3Read.lines(server.client(), bucket).size() == total + 1);
            }
            List<String> shipped = S3Read.lines(server.client(), bucket);
            assertThat(shipped.stream().filter(l -> l.contains(" tcpload ")).distinct().count()).isEqualTo(total);
            assertThat(shipped).noneMatch(l -> l.contains("udpwhilefull"));
            assertThat(shipped).contains("<13>1 - h udpafter - - - datagram after");
        }
    }

    @Test
    void eventsReceivedBeforeAGracefulStopAreUploaded() throws Exception {
        String bucket = s3.newBucket("syslog-stop");
        Map<String, String> p = props(s3, bucket);
        p.put("s3logs.ship.batch.max-age", "1h");
        p.put("s3logs.ship.gzip", "false");
        List<String> sent = new ArrayList<>();
        try (App app = App.start(p)) {
            ShipPipeline pipeline = app.context().getRegistry().lookupByNameAndType("shipPipeline", ShipPipeline.class);
            try (Socket s = tcp(); OutputStream out = s.getOutputStream()) {
                for (int i = 0; i < 300; i++) {
                    String m = "<13>1 - h stop - - - before the stop " + i;
                    sent.add(m);
                    out.write(line(m));
                }
                out.flush();
                await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.eventsAccepted() == 300);
                assertThat(S3Read.keys(s3.client(), bucket)).isEmpty();
            }
        }
        assertThat(S3Read.lines(s3.client(), bucket)).containsExactlyElementsOf(sent);
    }

    @Test
    void syslogNeedsTheShipPipeline() {
        Map<String, String> p = props(s3, s3.newBucket("syslog-noship"));
        p.put("s3logs.ship.enabled", "false");
        assertThatThrownBy(() -> App.start(p)).hasStackTraceContaining(
                "s3logs.syslog.enabled=true requires s3logs.ship.enabled=true");
    }

    @Test
    void anEmptyPortSwitchesItsInputOff() throws Exception {
        Map<String, String> p = props(s3, s3.newBucket("syslog-udp-off"));
        p.put("s3logs.syslog.udp-port", "");
        try (App app = App.start(p)) {
            // its route is not even created (precondition): no netty endpoint, no consumer
            assertThat(app.context().getRoute("ship-syslog-udp")).isNull();
            assertThat(app.context().getRouteController().getRouteStatus("ship-syslog-tcp").isStarted()).isTrue();
        }
    }
}
