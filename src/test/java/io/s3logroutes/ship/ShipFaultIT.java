package io.s3logroutes.ship;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.s3logroutes.testing.ShipProps;
import io.s3logroutes.testing.App;
import io.s3logroutes.testing.FaultProxy;
import io.s3logroutes.testing.S3Read;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ship through {@link FaultProxy} with 10 % of the S3 calls failing (503 SlowDown, 500, resets before and after the
 * server handled the call, delays): every line arrives, and the duplicates are counted.
 */
class ShipFaultIT {

    @TempDir
    Path work;

    @Test
    void tenPercentFaultsLoseNothing() throws Exception {
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("faults");
        try (FaultProxy proxy = new FaultProxy(s3.server().endpoint(), 0.10, 42).delay(Duration.ofMillis(1500))) {
            Map<String, String> p = new HashMap<>(s3.appProperties(bucket));
            p.put("s3logs.s3.endpoint", proxy.endpoint().toString());
            p.put("s3logs.s3.call-attempt-timeout", "5s");
            p.putAll(ShipProps.under(work, "FAULTS"));
            p.put("s3logs.ship.batch.max-events", "50");
            p.put("s3logs.ship.retry-initial-delay", "200ms");
            p.put("s3logs.ship.retry-max-delay", "2s");
            long t0 = System.nanoTime();
            List<String> lines;
            try (App app = App.start(p)) {
                lines = ShipOutageIT.writeFiles(work.resolve("in"), "f", 4, 2500);
                await().atMost(Duration.ofSeconds(50)).until(() -> ShipOutageIT.count(work.resolve("done"), ".log") == 4
                        && ShipOutageIT.count(work.resolve("spool"), ".batch") == 0);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            proxy.faultRate(0);
            List<String> shipped = S3Read.lines(s3.client(), bucket);
            Set<String> distinct = new HashSet<>(shipped);
            long lost = lines.stream().filter(l -> !distinct.contains(l)).count();
            long duplicates = shipped.size() - distinct.size();
            System.out.printf("ShipFaultIT: %d lines, %d objects, %s, lost=%d duplicates=%d, drained in %.1f s%n",
                    lines.size(), S3Read.keys(s3.client(), bucket).size(), proxy.summary(), lost, duplicates, seconds);
            assertThat(proxy.injectedTotal()).as("faults injected").isGreaterThanOrEqualTo(10);
            assertThat(proxy.injected(FaultProxy.Fault.RESET_AFTER)).as("answers lost after the server stored").isPositive();
            assertThat(lost).as("lines lost").isZero();
            assertThat(distinct).containsExactlyInAnyOrderElementsOf(lines);
            assertThat(Files.list(work.resolve("spool")).filter(f -> f.toString().endsWith(".batch")).count()).isZero();
        }
    }
}
