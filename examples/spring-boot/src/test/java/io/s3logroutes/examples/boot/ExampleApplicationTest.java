package io.s3logroutes.examples.boot;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.s3logroutes.embedded.EmbeddedS3Server;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the Spring Boot application against an S3 server on 127.0.0.1: a dropped file comes back fetched. */
class ExampleApplicationTest {

    @TempDir
    Path dir;

    @Test
    void droppedLinesComeBackThroughS3() throws Exception {
        Path jar = Path.of(System.getProperty("s3proxy.jar", "../../target/embedded/s3proxy.jar"));
        try (EmbeddedS3Server s3 = new EmbeddedS3Server(jar, dir.resolve("s3"), EmbeddedS3Server.Storage.MEMORY, 0)
                .start(Duration.ofSeconds(60))) {
            try (S3Client client = S3Client.builder().region(Region.US_EAST_1).forcePathStyle(true)
                    .endpointOverride(URI.create(s3.endpoint().toString()))
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                    .build()) {
                client.createBucket(b -> b.bucket("logs"));
            }
            SpringApplication app = new SpringApplication(ExampleApplication.class);
            try (ConfigurableApplicationContext ctx = app.run(
                    "--camel.main.run-controller=false",
                    "--example.endpoint=" + s3.endpoint(),
                    "--example.access-key=" + s3.accessKey(),
                    "--example.secret-key=" + s3.secretKey(),
                    "--example.input-dir=" + dir.resolve("in"),
                    "--example.spool-dir=" + dir.resolve("spool"),
                    "--example.output-file=" + dir.resolve("out/fetched.log"),
                    "--example.checkpoint-file=" + dir.resolve("lastkey.log"),
                    "--example.failed-file=" + dir.resolve("failed.log"),
                    "--example.settle=0s",
                    "--example.poll-interval=300ms")) {
                CamelContext camel = ctx.getBean(CamelContext.class);
                assertTrue(camel.isStarted());
                Files.createDirectories(dir.resolve("in"));
                Files.writeString(dir.resolve("in/app.log"), "first line\nsecond line\n");
                Path out = dir.resolve("out/fetched.log");
                Path lastkey = dir.resolve("lastkey.log");
                // fetch writes and fsyncs the output before it moves the checkpoint, so the two are awaited apart:
                // until the checkpoint names the object, it still holds the position before it ("\t0\t<file>")
                await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(out)
                        && Files.readString(out).equals("first line\nsecond line\n"));
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(lastkey)
                        && Files.readString(lastkey).startsWith("example/"));
                // ship moves the file once its lines are in the spool, while the upload runs beside it
                await("the shipped file is moved to .done").atMost(Duration.ofSeconds(30))
                        .until(() -> Files.exists(dir.resolve("in/.done/app.log")));
                assertEquals("first line\nsecond line\n", Files.readString(out), "nothing fetched twice");
            }
        }
    }
}
