package io.s3logroutes.recipes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.s3logroutes.fetch.Checkpoint;
import io.s3logroutes.testing.FetchProps;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The recipe {@code examples/recipes/fetch-tee}: the runnable jar, started in a copy of the recipe's folder (its
 * {@code routes/} replace the packaged ones), fetches every event into its output file and also appends the events
 * that contain {@code ERROR} to {@code out/errors.log}.
 */
class FetchTeeRecipeIT {

    static final Path RECIPE = Path.of("examples/recipes/fetch-tee");
    static final Path JAR = Path.of("target/s3-log-routes.jar").toAbsolutePath();

    @TempDir
    Path work;

    final TestS3 s3 = TestS3.shared();

    @Test
    void theRecipesRoutesAreTheShippedOnesButForTheEditOfTheFetchRoute() throws IOException {
        // a route file beside the jar replaces the packaged one of its name; the other packaged routes still load
        assertThat(names(RECIPE.resolve("routes"))).containsExactly("fetch-s3.camel.yaml");
        for (String f : List.of("fetch-s3.camel.yaml")) {
            List<String> ours = Files.readAllLines(Path.of("routes", f));
            List<String> recipe = Files.readAllLines(RECIPE.resolve("routes").resolve(f));
            if (!f.equals("fetch-s3.camel.yaml")) {
                assertThat(recipe).as(f + " is copied unchanged").isEqualTo(ours);
                continue;
            }
            // the edit only adds lines, in one place
            int start = 0;
            while (recipe.get(start).equals(ours.get(start))) {
                start++;
            }
            int added = recipe.size() - ours.size();
            assertThat(added).as("a few lines").isBetween(1, 25);
            assertThat(recipe.subList(start + added, recipe.size())).isEqualTo(ours.subList(start, ours.size()));
        }
    }

    @Test
    void everyEventReachesTheOutputAndTheErrorsAlsoReachTheirOwnFile() throws Exception {
        assertThat(JAR).as("the runnable jar (mvn package)").exists();
        String bucket = s3.newBucket("fetch-tee");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        StringBuilder errors = new StringBuilder();
        String last = null;
        for (int o = 0; o < 3; o++) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int i = 0; i < 50; i++) {
                String line = (i % 7 == 3 ? "2026-01-01 ERROR disk " : "2026-01-01 INFO ok ") + o + "." + i;
                body.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
                if (line.contains("ERROR")) {
                    errors.append(line).append('\n');
                }
            }
            // a line that is not UTF-8 is written to the output byte for byte
            body.writeBytes(new byte[] {'b', 'i', 'n', ' ', (byte) 0xff, (byte) 0xfe, '\n'});
            last = "TEE/2026-01-01/00.00.0" + o + "-000001";
            String key = last;
            s3.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body.toByteArray()));
            all.writeBytes(body.toByteArray());
        }
        Path app = work.resolve("app");
        copy(RECIPE, app);
        Map<String, String> props = FetchProps.under(s3, bucket, app.resolve("data"), "TEE/");
        props.put("s3logs.fetch.output-file", "data/out/fetched.log");
        props.put("s3logs.fetch.settle", "0s");

        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(app.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("app.log").toFile());
        // the credentials reach the child through the test's credentials file, as the default chain reads it
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", System.getProperty("aws.sharedCredentialsFile"));
        Process p = pb.start();
        String lastKey = last;
        Path checkpoint = app.resolve("data/lastkey.log");
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
                assertThat(p.isAlive()).as("the application runs; see " + work.resolve("app.log")).isTrue();
                return lastKey.equals(key(checkpoint));
            });
        } finally {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readAllBytes(app.resolve("data/out/fetched.log"))).isEqualTo(all.toByteArray());
        assertThat(Files.readString(app.resolve("out/errors.log"), StandardCharsets.UTF_8))
                .isEqualTo(errors.toString());
        assertThat(errors.toString().lines().count()).isEqualTo(3 * 7);
    }

    private static String key(Path checkpoint) throws IOException {
        try {
            return Checkpoint.parse(Files.readString(checkpoint)).key().orElse("");
        } catch (NoSuchFileException e) {
            return "";
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".camel.yaml")).sorted().toList();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path f : s.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
    }
}
