package io.s3logroutes.fetch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.s3logroutes.event.EventCodec;
import io.s3logroutes.event.LogEvent;
import io.s3logroutes.testing.App;
import io.s3logroutes.testing.FaultProxy;
import io.s3logroutes.testing.FetchProps;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Fetch through {@link FaultProxy} with 10 % of the S3 calls failing: the output holds every event exactly once. */
class FetchFaultIT {

    @TempDir
    Path work;

    @Test
    void tenPercentFaultsGiveTheExactOutput() throws Exception {
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("fetch-faults");
        FetchObjects.Written written = FetchObjects.putSeconds(s3.client(), bucket, "FLT", "faults", 300, new Random(11));
        List<String> keys = written.keys();
        ByteArrayOutputStream expected = written.expected();
        try (FaultProxy proxy = new FaultProxy(s3.server().endpoint(), 0.10, 3).delay(Duration.ofMillis(1500))) {
            Map<String, String> props = FetchProps.under(s3, bucket, work, "FLT/");
            props.put("s3logs.s3.endpoint", proxy.endpoint().toString());
            props.put("s3logs.s3.call-attempt-timeout", "5s");
            props.put("s3logs.fetch.max-keys", "50");
            long start = System.nanoTime();
            try (App app = App.start(props)) {
                await().atMost(Duration.ofSeconds(50)).until(() -> Files.exists(work.resolve("lastkey.log"))
                        && Checkpoint.parse(Files.readString(work.resolve("lastkey.log"))).key().orElse("")
                                .equals(keys.get(keys.size() - 1)));
            }
            System.out.printf("FetchFaultIT: %d objects, %s, %.1f s%n", keys.size(), proxy.summary(),
                    (System.nanoTime() - start) / 1e9);
            assertThat(proxy.injectedTotal()).as("faults injected").isGreaterThanOrEqualTo(10);
        }
        assertThat(new String(Files.readAllBytes(work.resolve("out.log")), StandardCharsets.ISO_8859_1))
                .isEqualTo(expected.toString(StandardCharsets.ISO_8859_1));
        assertThat(work.resolve("failed.log")).doesNotExist();
    }
}
