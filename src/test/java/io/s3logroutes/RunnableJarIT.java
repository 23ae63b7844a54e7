package io.s3logroutes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

import io.s3logroutes.embedded.EmbeddedS3Server;
import io.s3logroutes.embedded.S3ProxyJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar alone, copied into an empty folder, runs the quick start: the embedded S3 server and the sample
 * logs come from inside the jar, nothing from {@code target/}. The plain library jar does not carry S3Proxy.
 */
class RunnableJarIT {

    static final Path BUILD = Path.of(System.getProperty("s3logs.test.build-dir", "target"));

    @TempDir
    Path work;

    @TempDir
    Path logs;

    @Test
    void theJarAloneInAnEmptyFolderRunsTheQuickStart() throws Exception {
        Path jar = Files.copy(BUILD.resolve("s3-log-routes.jar"), work.resolve("s3-log-routes.jar"));
        Path log = logs.resolve("quickstart.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        // the README's command, with a free port for the HTTP server (other builds may run beside this one)
        Process p = new ProcessBuilder(java, "-Ds3logs.http.port=" + EmbeddedS3Server.freePort(),
                "-Dcamel.main.duration-max-seconds=120", "-jar", "s3-log-routes.jar")
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Pattern landed = Pattern.compile("Quick start: object s3://s3logs-demo/\\S+ \\(\\d+ bytes\\)");
            Pattern fetched = Pattern.compile("Fetch: \\d+ events from \\d+ objects? .* -> data/out/fetched.log");
            await().atMost(Duration.ofSeconds(100)).pollInterval(Duration.ofMillis(500)).until(() -> {
                String out = Files.readString(log);
                if (!p.isAlive()) {
                    throw new AssertionError("the quick start exited early: " + out);
                }
                return landed.matcher(out).find() && fetched.matcher(out).find();
            });
        } finally {
            p.destroy();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
        }
        String out = Files.readString(log);
        assertThat(out).doesNotContain("ERROR").contains("Embedded S3 server (S3Proxy, files under "
                + work.toRealPath().resolve("data/s3"));
        assertThat(Files.readAllLines(work.resolve("data/out/fetched.log"))).isNotEmpty();
        // S3Proxy ran from the copy extracted into data/s3, the size of the build's copy
        long size = Files.size(BUILD.resolve("embedded/s3proxy.jar"));
        try (var files = Files.list(work.resolve("data/s3"))) {
            List<Path> extracted = files.filter(f -> f.getFileName().toString().matches("s3proxy-\\d+-[0-9a-f]+\\.jar"))
                    .toList();
            assertThat(extracted).hasSize(1);
            assertThat(Files.size(extracted.get(0))).isEqualTo(size);
        }
        try (var files = Files.list(work)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("s3-log-routes.jar", "data");
        }
        assertThat(jar).exists();
    }

    @Test
    void onlyTheRunnableJarCarriesS3Proxy() throws IOException {
        try (JarFile runnable = new JarFile(BUILD.resolve("s3-log-routes.jar").toFile())) {
            assertThat(runnable.getEntry(S3ProxyJar.RESOURCE)).isNotNull();
            assertThat(runnable.getEntry(S3ProxyJar.RESOURCE).getSize())
                    .isEqualTo(Files.size(BUILD.resolve("embedded/s3proxy.jar")));
            assertThat(runnable.getEntry("samples/app.log")).isNotNull();
            assertThat(runnable.getEntry("samples/nginx-access.log")).isNotNull();
        }
        Path library = BUILD.resolve("s3-log-routes-" + System.getProperty("s3logs.test.project-version") + ".jar");
        try (JarFile lib = new JarFile(library.toFile())) {
            assertThat(lib.getEntry(S3ProxyJar.RESOURCE)).isNull();
        }
        assertThat(Files.size(library)).as("the library jar stays small").isLessThan(5L * 1024 * 1024);
    }
}
