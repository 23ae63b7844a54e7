package io.s3logroutes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.s3logroutes.testing.App;
import io.s3logroutes.testing.ChildJvm;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;

/** Startup against a real S3 API: the shared connection, the bucket check and its one-line fatal errors. */
class StartupIT {

    @TempDir
    Path work;

    @Test
    void sharesOneClientWithTheAws2S3Component() throws Exception {
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("startup");
        try (App app = App.start(s3.appProperties(bucket))) {
            S3Client client = app.context().getRegistry().lookupByNameAndType("s3Client", S3Client.class);
            assertThat(client).isNotNull();
            var component = app.context().getComponent("aws2-s3", org.apache.camel.component.aws2.s3.AWS2S3Component.class);
            assertThat(component.getConfiguration().getAmazonS3Client()).isSameAs(client);
            client.putObject(b -> b.bucket(bucket).key("probe"), software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
            assertThat(s3.client().headObject(b -> b.bucket(bucket).key("probe")).contentLength()).isEqualTo(1);
        }
    }

    @Test
    void missingBucketIsOneLineAndNonZeroExit() throws Exception {
        TestS3 s3 = TestS3.shared();
        Map<String, String> props = new HashMap<>(s3.appProperties("no-such-bucket-here"));
        Result r = runChild(props, s3.credentialsEnv());
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.output).contains("s3-log-routes: S3 bucket 'no-such-bucket-here' at " + s3.server().endpoint() + " does not exist");
        assertThat(r.output).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(r.output).doesNotContain(s3.server().secretKey());
    }

    @Test
    void wrongSecretKeyIsOneLineAndNonZeroExit() throws Exception {
        // a bad signature is fatal at start (403), unlike an unreachable endpoint (S3OutageAtStartIT)
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("badkey");
        Map<String, String> props = new HashMap<>(s3.appProperties(bucket));
        Map<String, String> env = new HashMap<>(s3.credentialsEnv());
        env.put("AWS_SECRET_ACCESS_KEY", "not-" + s3.server().secretKey());
        Result r = runChild(props, env);
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.output).contains("s3-log-routes: S3 bucket '" + bucket + "' at " + s3.server().endpoint()
                + " is not accessible with these credentials (403 Forbidden)");
        assertThat(r.output).doesNotContain("\tat ").doesNotContain("starting anyway");
    }

    @Test
    void missingCredentialsAreOneShortLineThatNamesTheWaysToGiveThem() throws Exception {
        TestS3 s3 = TestS3.shared();
        Map<String, String> props = new HashMap<>(s3.appProperties("any"));
        // no credentials anywhere: no environment keys, an empty home, and no instance metadata lookup
        Path home = Files.createDirectories(work.resolve("home"));
        props.put("user.home", home.toString());
        Map<String, String> env = Map.of("AWS_EC2_METADATA_DISABLED", "true", "HOME", home.toString(),
                "AWS_SHARED_CREDENTIALS_FILE", home.resolve("none").toString(),
                "AWS_CONFIG_FILE", home.resolve("none-config").toString());
        Result r = runChild(props, env);
        assertThat(r.exit).isEqualTo(2);
        String line = r.output.lines().filter(l -> l.startsWith("s3-log-routes: ")).findFirst().orElseThrow();
        assertThat(line).contains("no AWS credentials found", "AWS_ACCESS_KEY_ID", "s3logs.s3.profile", "role");
        assertThat(line.length()).isLessThan(300);
        assertThat(r.output).doesNotContain("\tat ").doesNotContain("ProfileCredentialsProvider");
    }

    @Test
    void missingBucketSettingNamesTheKey() throws Exception {
        TestS3 s3 = TestS3.shared();
        Map<String, String> props = new HashMap<>(s3.appProperties(""));
        Result r = runChild(props, s3.credentialsEnv());
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.output).contains("s3-log-routes: s3logs.s3.bucket is required but not set");
    }

    record Result(int exit, String output) {
    }

    Result runChild(Map<String, String> props, Map<String, String> env) throws Exception {
        Path log = work.resolve("child.log");
        Process p = ChildJvm.start(work, log, props, env);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child exited").isTrue();
        return new Result(p.exitValue(), Files.readString(log));
    }
}
