package io.s3logroutes.syslog;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import io.s3logroutes.embedded.EmbeddedS3Server;
import io.s3logroutes.event.LogEvent;
import io.s3logroutes.testing.App;
import io.s3logroutes.testing.ShipProps;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Seeded random garbage on both syslog inputs, between valid messages: random bytes over UDP and TCP, invalid
 * octet counts, over-long frames, non-UTF-8 messages, connections cut inside a frame. Every frame that is not valid
 * syslog is shipped with {@code SyslogParseError} and counted; the inputs keep running (new connections are
 * accepted); every valid message sent before, between and after the garbage arrives once, non-UTF-8 bytes intact.
 * {@code -Ds3logs.test.garbage-rounds=N} sets the number of garbage rounds (120 by default).
 */
class SyslogGarbageIT {

    static final int ROUNDS = Integer.getInteger("s3logs.test.garbage-rounds", 120);
    static final int MAX_FRAME = 1024;

    @TempDir
    Path work;

    final TestS3 s3 = TestS3.shared();
    final int udpPort = EmbeddedS3Server.freePort();
    final int tcpPort = EmbeddedS3Server.freePort();

    void udp(byte[] datagram) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), udpPort));
        }
    }

    /** Opens a connection, writes {@code bytes} and closes it (a disconnect, maybe inside a frame). */
    void tcpOnce(byte[] bytes) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcpPort), 5000);
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static byte[] random(Random r, int min, int max) {
        byte[] b = new byte[min + r.nextInt(max - min + 1)];
        r.nextBytes(b);
        if (b[0] == '<') {
            b[0] = 0; // never a <PRI> by chance: the frame is garbage whatever follows
        }
        return b;
    }

    @Test
    void randomGarbageOnUdpAndTcpIsShippedAsErrorsAndValidMessagesStillArrive() throws Exception {
        String bucket = s3.newBucket("syslog-garbage");
        Map<String, String> p = new HashMap<>(s3.appProperties(bucket));
        p.putAll(ShipProps.under(work, "GARBAGE01"));
        p.put("s3logs.ship.batch.max-age", "1s");
        p.put("s3logs.ship.flush-check-interval", "200ms");
        p.put("s3logs.ship.format", "json");
        p.put("s3logs.ship.gzip", "false");
        p.put("s3logs.syslog.enabled", "true");
        p.put("s3logs.syslog.udp-port", Integer.toString(udpPort));
        p.put("s3logs.syslog.tcp-port", Integer.toString(tcpPort));
        p.put("s3logs.syslog.max-frame-bytes", Integer.toString(MAX_FRAME));
        long seed = Long.getLong("s3logs.test.seed", System.nanoTime());
        Random r = new Random(seed);
        byte[] nonUtf8 = {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, 0x28, (byte) 0xe2, (byte) 0x82, ' ', (byte) 0x80};
        Map<String, byte[]> valid = new LinkedHashMap<>(); // message text -> the bytes of the frame
        Map<String, Integer> sent = new TreeMap<>(); // garbage kinds sent
        int knownErrors = 0; // garbage frames that are exactly one invalid frame each
        int overLong = 0;

        try (App app = App.start(p); Socket good = new Socket()) {
            good.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcpPort), 5000);
            OutputStream g = good.getOutputStream();
            for (int i = 0; i < ROUNDS; i++) {
                String text = "valid-" + i;
                byte[] frame = ("<13>1 - host app - - - " + text).getBytes(StandardCharsets.UTF_8);
                if (i % 2 == 0) {
                    g.write(SyslogIT.line(new String(frame, StandardCharsets.UTF_8)));
                    g.flush();
                } else {
                    udp(frame);
                }
                valid.put(text, frame);
                int kind = r.nextInt(9);
                switch (kind) {
                    case 0 -> { // random bytes in one datagram: one invalid frame
                        udp(random(r, 1, 1400));
                        knownErrors++;
                    }
                    case 1 -> { // random bytes over a connection: any number of frames, maybe over-long or cut
                        tcpOnce(random(r, 1, 3000));
                    }
                    case 2 -> { // an octet count beyond the maximum frame (up to 10 digits): over-long, connection closed
                        String count = r.nextBoolean() ? "9999999999" : Integer.toString(MAX_FRAME + 1 + r.nextInt(100_000));
                        tcpOnce((count + " <13>1 - host app - - - never").getBytes(StandardCharsets.US_ASCII));
                        overLong++;
                        knownErrors++;
                    }
                    case 3 -> { // a line longer than the maximum frame without a line end: over-long
                        tcpOnce(("<13>1 - host app - - - " + "y".repeat(MAX_FRAME + r.nextInt(3000)))
                                .getBytes(StandardCharsets.US_ASCII));
                        overLong++;
                        knownErrors++;
                    }
                    case 4 -> { // an octet-counted frame cut by the disconnect
                        tcpOnce(("500 <13>1 - host app - - - cut").getBytes(StandardCharsets.US_ASCII));
                        knownErrors++;
                    }
                    case 5 -> { // a valid header with a non-UTF-8 message over UDP: valid, bytes kept
                        String t = "nonutf8-udp-" + i;
                        byte[] f = concat(("<13>1 - host app - - - " + t + " ").getBytes(StandardCharsets.US_ASCII), nonUtf8);
                        udp(f);
                        valid.put(t, f);
                    }
                    case 6 -> { // the same over TCP, line-framed
                        String t = "nonutf8-tcp-" + i;
                        byte[] f = concat(("<13>1 - host app - - - " + t + " ").getBytes(StandardCharsets.US_ASCII), nonUtf8);
                        tcpOnce(concat(f, new byte[]{'\n'}));
                        valid.put(t, f);
                    }
                    case 7 -> { // not an octet count (11 digits, or a letter in it): a line without <PRI>
                        String count = r.nextBoolean() ? "99999999999" : "12x";
                        tcpOnce((count + " <13>1 - host app - - - bad count\n").getBytes(StandardCharsets.US_ASCII));
                        knownErrors++;
                    }
                    default -> { // a line-framed frame without <PRI>, non-UTF-8, then the connection closes
                        tcpOnce(concat(concat("garbage ".getBytes(StandardCharsets.US_ASCII), nonUtf8), new byte[]{'\n'}));
                        knownErrors++;
                    }
                }
                sent.merge(switch (kind) {
                    case 0 -> "udp random bytes";
                    case 1 -> "tcp random bytes";
                    case 2 -> "tcp huge octet count";
                    case 3 -> "tcp over-long line";
                    case 4 -> "tcp frame cut by a disconnect";
                    case 5 -> "udp non-UTF-8 valid";
                    case 6 -> "tcp non-UTF-8 valid";
                    case 7 -> "tcp invalid octet count";
                    default -> "tcp no <PRI>, non-UTF-8";
                }, 1, Integer::sum);
            }
            // after the garbage: the open connection, a new connection and UDP still work
            g.write(SyslogIT.line("<13>1 - host app - - - after-on-the-open-connection"));
            g.flush();
            valid.put("after-on-the-open-connection", "<13>1 - host app - - - after-on-the-open-connection".getBytes(StandardCharsets.US_ASCII));
            tcpOnce(SyslogIT.octet("<13>1 - host app - - - after-on-a-new-connection"));
            valid.put("after-on-a-new-connection", "<13>1 - host app - - - after-on-a-new-connection".getBytes(StandardCharsets.US_ASCII));
            udp("<13>1 - host app - - - after-over-udp".getBytes(StandardCharsets.US_ASCII));
            valid.put("after-over-udp", "<13>1 - host app - - - after-over-udp".getBytes(StandardCharsets.US_ASCII));

            SyslogStats stats = app.context().getRegistry().lookupByNameAndType("syslogStats", SyslogStats.class);
            await().ignoreExceptions().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
                List<LogEvent> ev = SyslogIT.events(s3, bucket);
                return ev.size() == stats.received() && valid.keySet().stream().allMatch(t -> ev.stream()
                        .anyMatch(e -> e.rawText().endsWith(" " + t) || e.rawText().contains(" " + t + " ")));
            });
            List<LogEvent> events = SyslogIT.events(s3, bucket);
            List<LogEvent> errors = events.stream().filter(e -> e.fields().containsKey(SyslogEvents.SYSLOG_PARSE_ERROR)).toList();
            List<LogEvent> ok = events.stream().filter(e -> !e.fields().containsKey(SyslogEvents.SYSLOG_PARSE_ERROR)).toList();
            System.out.printf("syslog garbage (seed %d): %d rounds %s; %d events shipped: %d valid (all %d sent), %d with"
                    + " SyslogParseError; counters: %s%n", seed, ROUNDS, sent, events.size(), ok.size(), valid.size(),
                    errors.size(), stats);

            Map<String, byte[]> got = new HashMap<>();
            for (LogEvent e : ok) {
                String text = e.rawText().substring(e.rawText().lastIndexOf("- - - ") + 6).split(" ")[0];
                assertThat(got.put(text, e.raw())).as("%s arrived twice", text).isNull();
            }
            assertThat(got.keySet()).as("valid messages").containsExactlyInAnyOrderElementsOf(valid.keySet());
            valid.forEach((t, bytes) -> assertThat(got.get(t)).as(t).containsExactly(bytes));
            assertThat(errors.size()).as("errors shipped = errors counted").isEqualTo(stats.parseErrors());
            assertThat(errors.size()).as("at least one error per known-bad frame").isGreaterThanOrEqualTo(knownErrors);
            assertThat(stats.oversize()).as("over-long frames counted").isGreaterThanOrEqualTo(overLong);
            assertThat(errors).allSatisfy(e -> assertThat(e.fields().get(SyslogEvents.SYSLOG_PARSE_ERROR).toString()).isNotBlank());
            assertThat(errors).filteredOn(e -> e.fields().get(LogEvent.SOURCE_MODULE_NAME).equals("ship-syslog-tcp"))
                    .as("TCP frames are cut at the maximum").allSatisfy(e -> assertThat(e.raw().length).isLessThanOrEqualTo(MAX_FRAME));
            assertThat(stats.udpDropped()).isZero();
        }
    }
}
