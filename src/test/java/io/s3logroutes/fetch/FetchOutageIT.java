package io.s3logroutes.fetch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.s3logroutes.embedded.EmbeddedS3Server;
import io.s3logroutes.event.EventCodec;
import io.s3logroutes.event.LogEvent;
import io.s3logroutes.testing.ChildJvm;
import io.s3logroutes.testing.FetchProps;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The S3 server goes away in the middle of a poll and comes back: the output still holds every event once. */
class FetchOutageIT {

    @TempDir
    Path work;

    @Test
    void anS3OutageInTheMiddleOfAPollLosesAndDuplicatesNothing() throws Exception {
        try (TestS3 own = TestS3.start(EmbeddedS3Server.Storage.FILESYSTEM, work.resolve("s3"))) {
            String bucket = own.newBucket("fetch-outage");
            FetchObjects.Written written = FetchObjects.putSeconds(own.client(), bucket, "OUT", "outage", 400,
                    new Random(5));
            List<String> keys = written.keys();
            ByteArrayOutputStream expected = written.expected();
            Map<String, String> props = FetchProps.under(own, bucket, work, "OUT/");
            props.put("s3logs.s3.max-attempts", "2");
            props.put("s3logs.fetch.max-keys", "50");
            Path log = work.resolve("child.log");
            Path out = work.resolve("out.log");
            Process p = ChildJvm.start(work, log, props, own.credentialsEnv());
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(out) && Files.size(out) > 20_000);
                own.stopServer();
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> Files.readString(log).contains("Fetch: poll failed"));
                long during = Files.size(out);
                own.restart();
                await().atMost(Duration.ofSeconds(90)).until(() ->
                        Checkpoint.parse(Files.readString(work.resolve("lastkey.log"))).key().orElse("")
                                .equals(keys.get(keys.size() - 1)));
                System.out.printf("fetch outage IT: %d of %d bytes written when S3 went away%n", during,
                        expected.size());
                assertThat(during).isLessThan(expected.size());
            } finally {
                p.destroy();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(new String(Files.readAllBytes(out), StandardCharsets.ISO_8859_1))
                    .isEqualTo(expected.toString(StandardCharsets.ISO_8859_1));
            assertThat(work.resolve("failed.log")).doesNotExist();
        }
    }
}
