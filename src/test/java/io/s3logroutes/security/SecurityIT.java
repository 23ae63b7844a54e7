package io.s3logroutes.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.s3logroutes.testing.App;
import io.s3logroutes.testing.ChildJvm;
import io.s3logroutes.testing.S3Read;
import io.s3logroutes.testing.ShipProps;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The secret key stays out of logs and files; SSE-KMS reaches the server on every shipped object. */
class SecurityIT {

    static final String KMS_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    @TempDir
    Path work;

    final TestS3 s3 = TestS3.shared();

    Map<String, String> props(String bucket) {
        Map<String, String> p = new HashMap<>(s3.appProperties(bucket));
        p.putAll(ShipProps.under(work, "SERVER01"));
        p.put("s3logs.ship.batch.max-age", "500ms");
        p.put("s3logs.ship.flush-check-interval", "200ms");
        return p;
    }

    void drop(String name, List<String> lines) throws IOException {
        Path in = Files.createDirectories(work.resolve("in"));
        Path tmp = work.resolve(name + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, in.resolve(name));
    }

    @Test
    void theSecretKeyNeverAppearsInTheOutputOrTheFilesOfARun() throws Exception {
        String secret = s3.server().secretKey();
        assertThat(secret).hasSizeGreaterThanOrEqualTo(16);
        String bucket = s3.newBucket("secret");
        Map<String, String> sys = props(bucket);
        // the most talkative the application gets: every logger at debug, the AWS SDK's request logging included
        sys.put("s3logs.log.level", "DEBUG");
        Path log = Files.createTempFile("secret-run", ".log");
        List<String> lines = List.of("first line of the secret test", "second line of the secret test");
        drop("app.log", lines);
        Process p = ChildJvm.start(work, log, sys, s3.credentialsEnv());
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> !S3Read.keys(s3.client(), bucket).isEmpty());
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(work.resolve("done/app.log")));
        } finally {
            p.destroy(); // SIGTERM: a graceful stop, shutdown logging included
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(S3Read.all(s3.client(), bucket).get(0).lines()).isEqualTo(lines);

        String output = Files.readString(log, StandardCharsets.ISO_8859_1);
        // the run did log its S3 traffic, so the scan covers it
        assertThat(output).contains("bucket=" + bucket).contains("DEBUG");
        assertThat(output).doesNotContain(secret);

        List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(work)) {
            all.filter(Files::isRegularFile).forEach(files::add);
        }
        assertThat(files).as("files the run left under its working directory")
                .anyMatch(f -> f.endsWith("done/app.log"));
        for (Path f : files) {
            assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString())
                    .doesNotContain(secret);
        }
        Files.delete(log);
    }

    @Test
    void sseKmsWithAKeyIdIsOnEveryShippedObject() throws Exception {
        String bucket = s3.newBucket("ssekms");
        Map<String, String> p = props(bucket);
        p.put("s3logs.s3.sse", "aws:kms");
        p.put("s3logs.s3.sse-kms-key-id", KMS_KEY);
        p.put("s3logs.ship.batch.max-events", "2");
        try (App app = App.start(p)) {
            drop("a.log", List.of("1", "2", "3", "4", "5", "6"));
            await().atMost(Duration.ofSeconds(60)).until(() -> S3Read.keys(s3.client(), bucket).size() == 3);
        }
        for (String key : S3Read.keys(s3.client(), bucket)) {
            var head = s3.client().headObject(b -> b.bucket(bucket).key(key));
            assertThat(head.serverSideEncryptionAsString()).as(key).isEqualTo("aws:kms");
            assertThat(head.ssekmsKeyId()).as(key).isEqualTo(KMS_KEY);
        }
    }

    @Test
    void withoutSseNoKmsKeyIsStored() throws Exception {
        String bucket = s3.newBucket("nosse");
        try (App app = App.start(props(bucket))) {
            drop("a.log", List.of("plain"));
            await().atMost(Duration.ofSeconds(60)).until(() -> S3Read.keys(s3.client(), bucket).size() == 1);
        }
        String key = S3Read.keys(s3.client(), bucket).get(0);
        var head = s3.client().headObject(b -> b.bucket(bucket).key(key));
        // S3Proxy reports its own default (AES256) for objects stored without an SSE header
        assertThat(head.serverSideEncryptionAsString()).isNotEqualTo("aws:kms");
        assertThat(head.ssekmsKeyId()).isNull();
    }
}
