package io.s3logroutes.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.s3logroutes.testing.ShipProps;
import io.s3logroutes.testing.App;
import io.s3logroutes.testing.FaultProxy;
import io.s3logroutes.testing.S3Read;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Ship through {@link FaultProxy} with a fraction of the S3 calls failing and a full outage in the middle; counts
 * the lines lost (must be 0), the duplicates and the time to drain the spool once the outage is over.
 * <pre>
 * ShipFaultBench ENDPOINT BUCKET WORK_DIR [FILES=30] [LINES_PER_FILE=2000] [FAULT_RATE=0.10] [OUTAGE_S=60]
 * </pre>
 * One file is dropped every second; the outage starts after the fifth file. The application runs in this JVM,
 * with its default retry settings except {@code s3logs.s3.call-attempt-timeout=5s} and batches of 100 events.
 */
public final class ShipFaultBench {

    private ShipFaultBench() {
    }

    public static void main(String[] a) throws Exception {
        URI endpoint = URI.create(a[0]);
        String bucket = a[1];
        Path work = Files.createDirectories(Path.of(a[2]));
        int files = a.length > 3 ? Integer.parseInt(a[3]) : 30;
        int linesPerFile = a.length > 4 ? Integer.parseInt(a[4]) : 2000;
        double rate = a.length > 5 ? Double.parseDouble(a[5]) : 0.10;
        int outageSeconds = a.length > 6 ? Integer.parseInt(a[6]) : 60;
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        String server = "FAULT-" + Long.toString(System.currentTimeMillis(), 36);
        try (FaultProxy proxy = new FaultProxy(endpoint, rate, 7).delay(Duration.ofSeconds(2));
             S3Client s3 = S3ToolBench.client(endpoint.toString(), 8)) {
            Map<String, String> p = new HashMap<>();
            p.put("s3logs.s3.embedded", "false");
            p.put("s3logs.s3.bucket", bucket);
            p.put("s3logs.s3.endpoint", proxy.endpoint().toString());
            p.put("s3logs.s3.path-style", "true");
            p.put("s3logs.s3.call-attempt-timeout", "5s");
            p.putAll(ShipProps.under(work, server));
            p.put("s3logs.ship.batch.max-events", "100");
            Files.createDirectories(work.resolve("in"));
            List<String> lines = new ArrayList<>();
            long outageEnd = 0;
            long t0 = System.nanoTime();
            try (App app = App.start(p)) {
                for (int f = 0; f < files; f++) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < linesPerFile; i++) {
                        String l = S3ToolBench.line((long) f * linesPerFile + i) + " file=" + f + " n=" + i;
                        lines.add(l);
                        sb.append(l).append('\n');
                    }
                    Path tmp = work.resolve("f" + f + ".tmp");
                    Files.writeString(tmp, sb);
                    Files.move(tmp, work.resolve("in").resolve("f" + f + ".log"));
                    if (f == 4) {
                        proxy.outage(Duration.ofSeconds(outageSeconds));
                        outageEnd = System.nanoTime() + outageSeconds * 1_000_000_000L;
                        System.out.printf("  outage of %d s starts at %.1f s%n", outageSeconds, (System.nanoTime() - t0) / 1e9);
                    }
                    Thread.sleep(1000);
                }
                long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                while (!(count(work.resolve("done"), ".log") == files && count(work.resolve("spool"), ".batch") == 0)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("not drained within 10 minutes after the last file: "
                                + count(work.resolve("done"), ".log") + " files done, "
                                + count(work.resolve("spool"), ".batch") + " batches in the spool");
                    }
                    Thread.sleep(100);
                }
            }
            long t1 = System.nanoTime();
            double drain = Math.max(0, (t1 - outageEnd) / 1e9);
            proxy.faultRate(0);
            List<String> keys = new ArrayList<>();
            List<String> shipped = new ArrayList<>();
            for (S3Read.Obj o : S3Read.all(s3, bucket)) {
                if (o.key().startsWith(server + "/")) {
                    keys.add(o.key());
                    shipped.addAll(o.lines());
                }
            }
            Set<String> distinct = new HashSet<>(shipped);
            long lost = lines.stream().filter(l -> !distinct.contains(l)).count();
            long duplicates = shipped.size() - distinct.size();
            System.out.printf("  %s%n", proxy.summary());
            System.out.printf("RESULT lines=%d objects=%d lost=%d duplicates=%d total_seconds=%.1f drain_after_outage_seconds=%.1f "
                    + "fault_rate=%.2f outage_seconds=%d%n", lines.size(), keys.size(), lost, duplicates, (t1 - t0) / 1e9,
                    drain, rate, outageSeconds);
            if (lost > 0) {
                System.exit(1);
            }
        }
    }

    static long count(Path dir, String suffix) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(x -> x.toString().endsWith(suffix)).count();
        }
    }
}
