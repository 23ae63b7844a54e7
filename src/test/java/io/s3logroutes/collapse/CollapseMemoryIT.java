package io.s3logroutes.collapse;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.s3logroutes.embedded.EmbeddedS3Server;
import io.s3logroutes.testing.ChildJvm;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Memory stays flat in the output size: the backlog command collapses 200 MiB into one object in a child JVM
 * whose heap is 64 MiB, against a filesystem-backed S3 server of the test's own.
 */
class CollapseMemoryIT {

    @TempDir
    Path work;

    @Test
    void collapsesAnOutputThreeTimesLargerThanTheHeap() throws Exception {
        try (TestS3 s3 = TestS3.start(EmbeddedS3Server.Storage.FILESYSTEM, work.resolve("s3"))) {
            String bucket = s3.newBucket("memory");
            LogData data = new LogData(1);
            MessageDigest expected = MessageDigest.getInstance("SHA-256");
            long total = 0;
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> puts = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    // keys in time order, so generation order is key order
                    String key = data.accessKey("big/", LocalDateTime.parse("2014-12-31T00:00").plusMinutes(i * 10L));
                    byte[] body = data.bulkyLines(2 << 20);
                    expected.update(body);
                    total += body.length;
                    puts.add(pool.submit(() -> s3.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body))));
                    if (puts.size() >= 8) {
                        puts.remove(0).get();
                    }
                }
                for (Future<?> f : puts) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }

            Map<String, String> props = new java.util.HashMap<>(s3.appProperties(bucket));
            props.put("s3logs.collapse.input-prefix", "big/");
            props.put("s3logs.collapse.part-size", "5MiB");
            Path log = work.resolve("child.log");
            ProcessBuilder pb = ChildJvm.builder(work, props, s3.credentialsEnv(), "collapse", "--from", "2014-12-31",
                    "--to", "2014-12-31");
            pb.command().replaceAll(a -> a.startsWith("-Xmx") ? "-Xmx64m" : a);
            assertThat(pb.command()).contains("-Xmx64m");
            long t0 = System.nanoTime();
            Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            String out = Files.readString(log);
            System.out.println("collapsed " + total + " bytes with -Xmx64m in " + ms + " ms (JVM start included)");
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("100 objects, " + total + " bytes -> big/2014-12-31_collapsed")
                    .doesNotContain("OutOfMemoryError");

            MessageDigest actual = MessageDigest.getInstance("SHA-256");
            try (InputStream in = s3.client().getObject(b -> b.bucket(bucket).key("big/2014-12-31_collapsed"))) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    actual.update(buf, 0, n);
                }
            }
            assertThat(HexFormat.of().formatHex(actual.digest())).isEqualTo(HexFormat.of().formatHex(expected.digest()));
            assertThat(LogData.list(s3.client(), bucket, "big/")).hasSize(2);
        }
    }
}
