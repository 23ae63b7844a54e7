package io.s3logroutes.recipes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The recipe {@code examples/recipes/two-collapses}: the runnable jar ({@code target/s3-log-routes.jar}, built by
 * {@code mvn package}) run from a copy of the recipe folder collapses S3 access logs under {@code logs/s3/} by day
 * and the objects under {@code logs/elb/} by hour, each by its own templated route and cron. The recipe's routes
 * differ from the shipped ones only by the second templated route.
 */
class TwoCollapsesRecipeIT {

    static final Path RECIPE = Path.of("examples/recipes/two-collapses");
    static final Path JAR = Path.of("target/s3-log-routes.jar");
    static final DateTimeFormatter KEY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");
    static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH");

    @TempDir
    Path work;

    @Test
    void recipeRoutesAreTheShippedCollapseFilePlusTheSecondTemplatedRoute() throws IOException {
        // a route file beside the jar replaces the packaged one of its name; the other packaged routes still load
        assertThat(names(RECIPE.resolve("routes"))).containsExactly("collapse-s3.camel.yaml");
        String mine = Files.readString(Path.of("routes", "collapse-s3.camel.yaml"));
        String recipe = Files.readString(RECIPE.resolve("routes").resolve("collapse-s3.camel.yaml"));
        assertThat(recipe).startsWith(mine);
        assertThat(recipe.substring(mine.length())).contains("- templatedRoute:", "routeId: collapse-elb",
                "routeTemplateRef: s3logs-collapse").doesNotContain("- route:", "- routeTemplate:");
    }

    @Test
    void accessLogsCollapseDailyAndElbLogsHourlySideBySide() throws Exception {
        assertThat(JAR).as("the runnable jar; build it with: mvn -B -q -o package -DskipTests").exists();
        TestS3 server = TestS3.shared();
        S3Client s3 = server.client();
        String bucket = server.newBucket("two-collapses");

        // a day that the daily collapse looks at (lookback 3d, grace 1h), and two ended hours for the hourly one
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(2);
        SortedMap<String, byte[]> accessLogs = objects("logs/s3/", day.atStartOfDay(), Duration.ofHours(3), 6);
        LocalDateTime hour = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS).minusHours(3);
        SortedMap<String, byte[]> elbFirst = objects("logs/elb/", hour, Duration.ofMinutes(9), 5);
        SortedMap<String, byte[]> elbSecond = objects("logs/elb/", hour.plusHours(1), Duration.ofMinutes(11), 4);
        put(s3, bucket, accessLogs);
        put(s3, bucket, elbFirst);
        put(s3, bucket, elbSecond);
        String dailyOut = "logs/s3/" + day + "_collapsed";
        String elbOut1 = "logs/elb/" + HOUR.format(hour) + "_collapsed";
        String elbOut2 = "logs/elb/" + HOUR.format(hour.plusHours(1)) + "_collapsed";

        Path app = copyRecipe();
        Path credentials = credentialsFile(server);
        Map<String, String> sys = new java.util.LinkedHashMap<>(server.appProperties(bucket));
        // short schedules through the recipe's own placeholders
        sys.put("s3logs.collapse.cron", "0/3 * * * * ?");
        sys.put("s3logs.recipe.elb-cron", "1/3 * * * * ?");
        sys.put("s3logs.quickstart.report-interval", "1h");
        Path log = work.resolve("app.log");
        Process p = start(app, log, sys, credentials);
        try {
            try {
                await().atMost(Duration.ofSeconds(90)).until(() -> !p.isAlive()
                        || keys(s3, bucket, "logs/").keySet().containsAll(List.of(dailyOut, elbOut1, elbOut2))
                        && keys(s3, bucket, "logs/").keySet().stream().noneMatch(k -> accessLogs.containsKey(k)
                        || elbFirst.containsKey(k) || elbSecond.containsKey(k)));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("not collapsed in time; bucket " + keys(s3, bucket, "") + "; log:\n"
                        + Files.readString(log), e);
            }
            assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
        } finally {
            p.destroy();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        String out = Files.readString(log);
        assertThat(keys(s3, bucket, "logs/s3/").keySet()).as(out).containsExactly(dailyOut, dailyOut + ".manifest.json");
        assertThat(keys(s3, bucket, "logs/elb/").keySet()).as(out)
                .containsExactly(elbOut1, elbOut1 + ".manifest.json", elbOut2, elbOut2 + ".manifest.json");
        assertThat(get(s3, bucket, dailyOut)).isEqualTo(concat(accessLogs));
        assertThat(get(s3, bucket, elbOut1)).isEqualTo(concat(elbFirst));
        assertThat(get(s3, bucket, elbOut2)).isEqualTo(concat(elbSecond));
        // each route ran with its own settings: the daily one never touched logs/elb/ and the hourly one logs/s3/
        // the recipe's application.properties, beside the jar, overrides the packaged s3logs.collapse.enabled=false
        assertThat(out).contains("collapse=true")
                .contains("collapse " + day + " logs/s3/" + day + "-: 6 objects")
                .contains("collapse " + HOUR.format(hour) + " logs/elb/" + HOUR.format(hour) + "-: 5 objects")
                .doesNotContain("collapse " + day + " logs/elb/");
    }

    private Process start(Path dir, Path log, Map<String, String> sys, Path credentials) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        sys.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().remove("AWS_ACCESS_KEY_ID");
        pb.environment().remove("AWS_SECRET_ACCESS_KEY");
        pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", credentials.toString());
        pb.environment().put("AWS_REGION", "us-east-1");
        return pb.start();
    }

    /** The recipe folder as a user would use it: its routes and properties in the working directory. */
    private Path copyRecipe() throws IOException {
        Path app = work.resolve("app");
        Files.createDirectories(app.resolve("routes"));
        Files.copy(RECIPE.resolve("application.properties"), app.resolve("application.properties"));
        for (String f : names(RECIPE.resolve("routes"))) {
            Files.copy(RECIPE.resolve("routes").resolve(f), app.resolve("routes").resolve(f));
        }
        return app;
    }

    /** The test server's keys in an AWS credentials file of this test, readable by its owner only. */
    private Path credentialsFile(TestS3 server) throws IOException {
        Path dir = Files.createDirectory(work.resolve("aws"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path f = dir.resolve("credentials");
        Files.writeString(f, "[default]\naws_access_key_id = " + server.server().accessKey()
                + "\naws_secret_access_key = " + server.server().secretKey() + "\n");
        return f;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(x -> x.getFileName().toString()).filter(n -> n.endsWith(".camel.yaml")).sorted().toList();
        }
    }

    /** {@code n} access-log objects ({@code {prefix}YYYY-MM-DD-HH-MM-SS-UNIQUE}) from {@code start}, {@code step} apart. */
    private static SortedMap<String, byte[]> objects(String prefix, LocalDateTime start, Duration step, int n) {
        SortedMap<String, byte[]> m = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            LocalDateTime t = start.plus(step.multipliedBy(i));
            String key = prefix + KEY_TIME.format(t) + "-" + String.format("%016X", (long) (Math.random() * Long.MAX_VALUE));
            m.put(key, ("79a59df900b949e5 awsexamplebucket1 [" + t + "] 192.0.2.3 - 3E57427F3EXAMPLE"
                    + " REST.GET.OBJECT " + key + " \"GET /" + key + " HTTP/1.1\" 200 - " + (100 + i) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return m;
    }

    private static void put(S3Client s3, String bucket, Map<String, byte[]> objects) {
        objects.forEach((k, v) -> s3.putObject(b -> b.bucket(bucket).key(k), RequestBody.fromBytes(v)));
    }

    private static SortedMap<String, Long> keys(S3Client s3, String bucket, String prefix) {
        SortedMap<String, Long> m = new TreeMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            m.put(o.key(), o.size());
        }
        return m;
    }

    private static byte[] get(S3Client s3, String bucket, String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    private static byte[] concat(SortedMap<String, byte[]> objects) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        objects.values().forEach(out::writeBytes);
        return out.toByteArray();
    }

    static {
        if (!Files.isDirectory(RECIPE)) {
            throw new UncheckedIOException(new IOException("run from the project folder: " + RECIPE + " not found"));
        }
    }
}
