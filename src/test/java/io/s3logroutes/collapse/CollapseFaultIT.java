package io.s3logroutes.collapse;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import io.s3logroutes.s3.S3ClientFactory;
import io.s3logroutes.testing.FaultProxy;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Collapse through {@link FaultProxy}: 10 % of the S3 calls answered with 503 SlowDown, 500, a reset before or
 * after the server handled the call (a part, a manifest, a completion or a DeleteObjects that landed but whose
 * answer is lost) or a delay. Each run either completes or fails cleanly (a failed result naming the cause, no
 * exception, nothing lost); reruns through the same proxy complete the period; at the end every input is in exactly
 * one output and no multipart upload is left. {@code -Ds3logs.test.periods=N} sets the number of periods (1 in
 * {@code mvn verify}; {@code bench/run.sh kill} runs 10).
 */
class CollapseFaultIT {

    static final int PERIODS = Integer.getInteger("s3logs.test.periods", 1);
    static final int MAX_RUNS = 8;
    static final String PREFIX = "logs/";

    @Test
    void tenPercentFaultsEveryRunCompletesOrFailsCleanlyAndRerunsComplete() throws Exception {
        Fixture f = new Fixture("collapse-fault");
        LogData data = new LogData(11);
        long seed = Long.getLong("s3logs.test.seed", System.nanoTime());
        List<String> failures = new ArrayList<>();
        int runs = 0;
        long started = System.nanoTime();
        try (FaultProxy proxy = new FaultProxy(f.server.server().endpoint(), 0.10, seed).delay(Duration.ofMillis(500))) {
            String[] props = {"s3logs.s3.endpoint", proxy.endpoint().toString(), "s3logs.collapse.input-prefix", PREFIX,
                    "s3logs.collapse.part-size", "5MiB"};
            Map<String, String> all = f.props(props);
            S3Settings settings = S3Settings.from(new Props(k -> Optional.ofNullable(all.get(k))));
            try (S3Client client = S3ClientFactory.create(settings, StaticCredentialsProvider.create(AwsBasicCredentials
                    .create(f.server.server().accessKey(), f.server.server().secretKey())), 16)) {
                LocalDate day = LocalDate.parse("2014-10-01");
                for (int p = 0; p < PERIODS; p++, day = day.plusDays(1)) {
                    SortedMap<String, byte[]> inputs = data.accessPeriod(PREFIX, day);
                    LogData.putAll(f.s3, f.bucket, inputs);
                    GroupResult r;
                    int n = 0;
                    do {
                        n++;
                        try (CollapseService svc = f.service(client, CollapseHook.NONE, props)) {
                            List<GroupResult> rs = svc.runRange(day.atStartOfDay(), day.atStartOfDay());
                            assertThat(rs).hasSize(1);
                            r = rs.get(0);
                        }
                        if (!r.ok()) {
                            failures.add(r.summary());
                            assertThat(r.notes()).as("a failed run names its cause: %s", r.summary()).isNotEmpty();
                            CollapseState.read(f.s3, f.bucket, PREFIX, day.toString(), inputs).assertNothingLost();
                        }
                    } while (!r.ok() && n < MAX_RUNS);
                    runs += n;
                    assertThat(r.ok()).as("period %s after %d runs: %s", day, n, failures).isTrue();
                    CollapseState.read(f.s3, f.bucket, PREFIX, day.toString(), inputs)
                            .assertComplete(f.s3, f.bucket, inputs.size());
                    CollapseState.dropOutputs(f.s3, f.bucket, PREFIX, day.toString());
                }
            }
            System.out.printf("CollapseFaultIT (seed %d): %d periods of 1,053 inputs, %d runs (%d failed cleanly), %s,"
                    + " %.1f s%n", seed, PERIODS, runs, failures.size(), proxy.summary(), (System.nanoTime() - started) / 1e9);
            failures.forEach(s -> System.out.println("  failed run: " + s));
            assertThat(proxy.injected(FaultProxy.Fault.RESET_AFTER)).as("resets after a call landed").isPositive();
        }
    }
}
