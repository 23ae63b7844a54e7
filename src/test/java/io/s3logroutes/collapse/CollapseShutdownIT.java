package io.s3logroutes.collapse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.s3logroutes.testing.ChildJvm;
import io.s3logroutes.testing.CollapseProps;
import io.s3logroutes.testing.FaultProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM in the middle of a scheduled collapse run, against a slow S3 (every call delayed): the application exits
 * within {@code camel.main.shutdown-timeout}, the run's upload is aborted and no input is deleted; a rerun then
 * makes one output, deletes every input and leaves no multipart upload.
 */
class CollapseShutdownIT {

    static final int SHUTDOWN_TIMEOUT = 20;
    /** Time a JVM takes beyond the routes' shutdown (services, S3 client, exit) on a loaded machine. */
    static final int EXIT_MARGIN = 15;

    @TempDir
    Path work;

    @Test
    void sigtermInTheMiddleOfARunThenARerunCompletesIt() throws Exception {
        Fixture f = new Fixture("sigterm-collapse");
        LogData data = new LogData(11);
        // a day that every scheduled run looks at (lookback 3d, grace 1h): the day before yesterday
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(2);
        SortedMap<String, byte[]> inputs = new TreeMap<>();
        for (int i = 0; i < 80; i++) {
            inputs.put(data.accessKey("logs/", day.atStartOfDay().plusMinutes(i * 15L)), data.bulkyLines(80 << 10));
        }
        LogData.putAll(f.s3, f.bucket, inputs);
        String output = "logs/" + day + "_collapsed";

        try (FaultProxy slow = new FaultProxy(f.server.server().endpoint(), 1.0, 3)
                .kinds(List.of(FaultProxy.Fault.DELAY)).delay(Duration.ofSeconds(1))) {
            Map<String, String> sys = f.props("s3logs.s3.endpoint", slow.endpoint().toString(),
                    "s3logs.quickstart.report-interval", "1h",
                    "camel.main.shutdown-timeout", String.valueOf(SHUTDOWN_TIMEOUT));
            sys.putAll(CollapseProps.scheduled("logs/", "s3logs.collapse.part-size", "5MiB"));
            Path log = work.resolve("app.log");
            Process p = ChildJvm.start(work, log, sys, f.server.credentialsEnv());
            // the run is under way: its output's multipart upload exists (80 reads of 1 s, 4 at a time, take 20 s)
            await().atMost(Duration.ofSeconds(120)).until(() -> f.pendingUploads() >= 1 || !p.isAlive());
            assertThat(p.isAlive()).as(Files.readString(log)).isTrue();

            long t0 = System.nanoTime();
            p.destroy();
            assertThat(p.waitFor(SHUTDOWN_TIMEOUT + EXIT_MARGIN + 30, TimeUnit.SECONDS)).isTrue();
            double seconds = (System.nanoTime() - t0) / 1e9;
            String out = Files.readString(log);
            System.out.printf("collapse: exit %.1f s after SIGTERM%n", seconds);
            assertThat(seconds).as(out).isLessThan(SHUTDOWN_TIMEOUT + EXIT_MARGIN);
            assertThat(out).contains("stopped by the shutdown").doesNotContain("Timeout occurred during graceful shutdown");
        }
        // left resumable: every input still there, no output, the upload aborted
        SortedMap<String, Long> left = f.list("logs/");
        assertThat(left.keySet()).containsExactlyElementsOf(inputs.keySet());
        assertThat(f.pendingUploads()).isZero();

        Path log = work.resolve("rerun.log");
        Process rerun = ChildJvm.start(work, log, f.props("s3logs.collapse.input-prefix", "logs/",
                "s3logs.collapse.part-size", "5MiB"), f.server.credentialsEnv(), "collapse", "--from", day.toString(),
                "--to", day.toString());
        assertThat(rerun.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(log);
        assertThat(rerun.exitValue()).as(out).isZero();
        assertThat(f.list("logs/").keySet()).containsExactly(output, output + ".manifest.json");
        assertThat(LogData.digest(f.get(output))).isEqualTo(LogData.digest(LogData.concat(inputs)));
        assertThat(f.pendingUploads()).isZero();
    }
}
