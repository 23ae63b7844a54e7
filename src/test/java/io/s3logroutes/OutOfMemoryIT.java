package io.s3logroutes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.s3logroutes.embedded.EmbeddedS3Server;
import io.s3logroutes.testing.ChildJvm;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Running out of memory is one line on standard error and exit status 3, never a stack trace: in the main thread
 * (the collapse command with parts larger than the heap), in another thread, and inside a Camel exchange.
 */
class OutOfMemoryIT {

    @TempDir
    Path work;

    private static String run(ProcessBuilder pb, int[] status) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        status[0] = p.exitValue();
        return new String(out, StandardCharsets.UTF_8);
    }

    private static void assertOneLine(String out, int status) {
        assertThat(status).isEqualTo(OutOfMemory.STATUS);
        List<String> oom = out.lines().filter(l -> l.contains("out of memory")).toList();
        assertThat(oom).singleElement().satisfies(l -> assertThat(l)
                .startsWith("s3-log-routes: out of memory (")
                .contains("heap limit of", "-Xmx", "nothing committed is lost"));
        assertThat(out).doesNotContain("\tat ", "Exception in thread", "the process went on");
    }

    private ProcessBuilder probe(String what) {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, what.equals("thread") ? "-Xmx32m" : "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                OutOfMemoryProbe.class.getName(), what).directory(work.toFile());
    }

    @Test
    void anotherThreadRunningOutOfMemoryEndsTheProcessWithOneLine() throws Exception {
        int[] status = new int[1];
        String out = run(probe("thread"), status);
        assertOneLine(out, status[0]);
        assertThat(out).contains("in thread hog");
    }

    @Test
    void anExchangeRunningOutOfMemoryEndsTheProcessWithOneLine() throws Exception {
        int[] status = new int[1];
        String out = run(probe("route"), status);
        assertOneLine(out, status[0]);
    }

    @Test
    void theCollapseCommandRunningOutOfMemoryEndsWithOneLineAndKeepsItsInputs() throws Exception {
        try (TestS3 s3 = TestS3.start(EmbeddedS3Server.Storage.MEMORY, work.resolve("s3"))) {
            String bucket = s3.newBucket("oom");
            List<String> keys = new ArrayList<>();
            byte[] body = "GET /index.html 200\n".repeat((2 << 20) / 20).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 3; i++) {
                String key = String.format("oom/2014-12-31-00-%02d-00-%016X", i * 10, i);
                keys.add(key);
                s3.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
            }
            Map<String, String> props = new HashMap<>(s3.appProperties(bucket));
            props.put("s3logs.collapse.input-prefix", "oom/");
            // one part is buffered in a Java array: a 1 GiB part cannot fit in the child's 256 MiB heap
            props.put("s3logs.collapse.part-size", "1GiB");
            ProcessBuilder pb = ChildJvm.builder(work, props, s3.credentialsEnv(), "collapse", "--from", "2014-12-31",
                    "--to", "2014-12-31");
            int[] status = new int[1];
            String out = run(pb, status);
            assertOneLine(out, status[0]);
            for (String k : keys) {
                assertThat(s3.client().headObject(b -> b.bucket(bucket).key(k)).contentLength()).isEqualTo(body.length);
            }
        }
    }
}
