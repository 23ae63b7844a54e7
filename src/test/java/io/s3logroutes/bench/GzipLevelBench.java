package io.s3logroutes.bench;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.s3logroutes.event.EventCodec;
import io.s3logroutes.ship.BatchWriter;
import io.s3logroutes.syslog.SyslogEvents;
import io.s3logroutes.syslog.SyslogFrame;
import io.s3logroutes.syslog.SyslogParser;
import io.s3logroutes.syslog.SyslogStats;

/**
 * Size and speed of the gzip levels on ship's JSON lines of syslog events ({@code bench/run.sh syslog}): MESSAGES
 * events of two kinds, loggen's (a sequence number and padding) and varied application lines like P1's, serialized
 * as ship serializes them and written through {@link BatchWriter} at each level (best of 5 passes, after a warm-up).
 * <pre>
 * GzipLevelBench [MESSAGES=200000] [LEVELS=1,2,3,4,6,9]
 * </pre>
 * One line per kind and level: {@code RESULT kind=K level=L mib_per_s=X ratio=R} (compressed / JSON bytes).
 */
public final class GzipLevelBench {

    public static void main(String[] a) throws Exception {
        int n = a.length > 0 ? Integer.parseInt(a[0]) : 200_000;
        String[] levels = (a.length > 1 ? a[1] : "1,2,3,4,6,9").split(",");
        SyslogEvents events = new SyslogEvents(new SyslogParser(ZoneOffset.UTC), new SyslogStats());
        Random rnd = new Random(1);
        String[] words = {"GET", "POST", "/api/orders", "/api/cart", "/login", "status=200", "status=404",
            "status=500", "user", "session", "latency_ms", "bytes", "upstream", "cache=hit", "cache=miss"};
        List<byte[]> loggen = new ArrayList<>(n);
        List<byte[]> app = new ArrayList<>(n);
        Instant t = Instant.parse("2026-11-24T20:00:00Z");
        for (int i = 0; i < n; i++) {
            String lg = String.format("<38>2026-11-24T20:00:%02d localhost prg00000[1234]: seq: %010d, thread: 0000, "
                    + "runid: 1764014400, stamp: 2026-11-24T20:00:%02d ", i % 60, i, i % 60);
            lg = lg + "PADD".repeat((200 - lg.length()) / 4);
            StringBuilder w = new StringBuilder();
            for (int k = 0; k < 18; k++) {
                w.append(' ').append(words[rnd.nextInt(words.length)]);
            }
            String ap = String.format("<134>Nov 24 20:00:%02d web-%d app[%d]:%s %08x", i % 60, i % 7, 1000 + i % 50, w, i);
            loggen.add(EventCodec.line(EventCodec.Format.JSON, events.event(SyslogFrame.of(
                    lg.getBytes(StandardCharsets.UTF_8)), "127.0.0.1", "ship-syslog-tcp", t)));
            app.add(EventCodec.line(EventCodec.Format.JSON, events.event(SyslogFrame.of(
                    ap.getBytes(StandardCharsets.UTF_8)), "127.0.0.1", "ship-syslog-tcp", t)));
        }
        run("loggen", loggen, levels);
        run("app-lines", app, levels);
    }

    private static void run(String kind, List<byte[]> lines, String[] levels) throws Exception {
        long in = 0;
        for (byte[] l : lines) {
            in += l.length;
        }
        for (String lv : levels) {
            int level = Integer.parseInt(lv.trim());
            long best = Long.MAX_VALUE;
            long out = 0;
            for (int pass = 0; pass < 6; pass++) {   // pass 0 warms up
                long t0 = System.nanoTime();
                out = compress(lines, level);
                long ns = System.nanoTime() - t0;
                if (pass > 0) {
                    best = Math.min(best, ns);
                }
            }
            System.out.printf("RESULT kind=%s level=%d json_bytes=%d gzip_bytes=%d ratio=%.4f mib_per_s=%.1f%n", kind,
                    level, in, out, (double) out / in, in / 1048576.0 / (best / 1e9));
        }
    }

    /** Writes the lines into 8 MiB objects (as uploaded) at the level; returns the compressed bytes. */
    private static long compress(List<byte[]> lines, int level) throws Exception {
        long total = 0;
        BatchWriter w = new BatchWriter(OutputStream.nullOutputStream(), true, level, 8L << 20);
        for (byte[] l : lines) {
            if (!w.fits(l.length)) {
                total += w.finish();
                w = new BatchWriter(OutputStream.nullOutputStream(), true, level, 8L << 20);
            }
            w.write(l);
        }
        return total + w.finish();
    }
}
