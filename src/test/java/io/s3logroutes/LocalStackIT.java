package io.s3logroutes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.s3logroutes.testing.App;
import io.s3logroutes.testing.ShipProps;
import io.s3logroutes.testing.S3Read;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Ship against LocalStack, the image docker-compose.yml uses. Skipped where no Docker engine answers. */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackIT {

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(
            DockerImageName.parse("localstack/localstack:4.4.0")).withServices(LocalStackContainer.Service.S3);

    @TempDir
    Path work;

    @Test
    void shipsToLocalStack() throws Exception {
        S3Client s3 = S3Client.builder().endpointOverride(LOCALSTACK.getEndpoint()).forcePathStyle(true)
                .region(Region.of(LOCALSTACK.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey()))).build();
        s3.createBucket(b -> b.bucket("s3logs-demo"));
        Map<String, String> p = new HashMap<>();
        p.put("s3logs.s3.embedded", "false");
        p.put("s3logs.s3.bucket", "s3logs-demo");
        p.put("s3logs.s3.endpoint", LOCALSTACK.getEndpoint().toString());
        p.put("s3logs.s3.path-style", "true");
        p.put("s3logs.s3.region", LOCALSTACK.getRegion());
        p.putAll(ShipProps.under(work, "LS01"));
        String oldKey = System.getProperty("aws.accessKeyId");
        String oldSecret = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.accessKeyId", LOCALSTACK.getAccessKey());
        System.setProperty("aws.secretAccessKey", LOCALSTACK.getSecretKey());
        try (App app = App.start(p)) {
            Files.createDirectories(work.resolve("in"));
            Files.writeString(work.resolve("in/app.log"), "hello localstack\n", StandardCharsets.UTF_8);
            await().atMost(Duration.ofSeconds(60)).until(() -> !S3Read.keys(s3, "s3logs-demo").isEmpty());
            assertThat(S3Read.lines(s3, "s3logs-demo")).containsExactly("hello localstack");
        } finally {
            restore("aws.accessKeyId", oldKey);
            restore("aws.secretAccessKey", oldSecret);
        }
    }

    static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
