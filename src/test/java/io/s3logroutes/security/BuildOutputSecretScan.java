package io.s3logroutes.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.s3logroutes.testing.SecretScan;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Run by the build after the integration tests (surefire execution {@code build-output-secret-scan}, phase
 * {@code verify}), not with the other tests: every file under {@code target/} (the test reports and the tests'
 * captured output, classes, the jars, entries of archives included) is scanned for the secret keys of the test
 * S3 servers of this and earlier builds, which {@code TestS3} records as hashes. None may appear.
 */
class BuildOutputSecretScan {

    @Test
    void noTestSecretIsInTheBuildOutput() throws Exception {
        Path target = Path.of(System.getProperty("s3logs.test.build-dir", "target"));
        Map<Integer, Set<String>> secrets = SecretScan.recorded(Path.of(System.getProperty("s3logs.test.secrets-dir",
                target.resolve("test-secrets").toString())));
        assertThat(secrets).as("secrets recorded by the tests of this build (run them first)").isNotEmpty();
        // the scan covers what it is meant to: the test reports (and the tests' output beside them), the runnable jar
        assertThat(target.resolve("surefire-reports")).isDirectory();
        try (var reports = Files.list(target.resolve("surefire-reports"))) {
            assertThat(reports.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("TEST-"));
        }
        try (var reports = Files.list(target.resolve("failsafe-reports"))) {
            assertThat(reports.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("TEST-"));
        }
        assertThat(target.resolve("s3-log-routes.jar")).isRegularFile();

        SecretScan scan = new SecretScan(secrets);
        List<String> found = scan.scan(target);
        System.out.printf("secret scan of %s: %d files and archive entries, %d MiB, %d secrets looked for%n", target,
                scan.filesRead(), scan.bytesRead() >> 20, secrets.values().stream().mapToInt(Set::size).sum());
        assertThat(found).as("files under " + target + " that hold a test secret key").isEmpty();
    }
}
