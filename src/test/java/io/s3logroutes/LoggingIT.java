package io.s3logroutes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.s3logroutes.testing.RecipeRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The runnable jar's log ({@code java -jar target/s3-log-routes.jar}, the quick start: the embedded S3 server, ship
 * of the samples, fetch back): {@code S3LOGS_LOG_FORMAT=json} makes every line a JSON object, from the first line to
 * the last of the shutdown; a {@code s3logs.log.level.<logger>} key in {@code application.properties} beside the jar
 * shows that logger's DEBUG lines, and only its.
 */
class LoggingIT {

    static final Pattern SUMMARY = Pattern.compile(
            "Fetch: (\\d+) events from (\\d+) objects? \\(\\d+ bytes\\) -> data/out/fetched\\.log");
    static final Pattern OBJECT_LINE = Pattern.compile(
            "\\[DEBUG] fetch - Fetch: \\S+\\.gz -> data/out/fetched\\.log \\((\\d+) events\\)");
    static final Pattern TEXT_LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d(:?\\d\\d)?) \\[(TRACE|DEBUG|INFO|WARN|ERROR)] \\S+ - .*");

    @TempDir
    Path work;

    @Test
    void jsonFromTheEnvironmentMakesEveryLineAJsonObject() throws Exception {
        List<String> lines = runQuickStart(Map.of("S3LOGS_LOG_FORMAT", "json"), "Fetch: ", " events from ");
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            JsonNode e = mapper.readTree(line);
            assertThat(e.isObject()).as("a JSON object: %s", line).isTrue();
            for (String field : List.of("time", "level", "logger", "thread", "message")) {
                assertThat(e.path(field).isTextual()).as("%s in %s", field, line).isTrue();
            }
            Instant.parse(e.get("time").asText());
            events.add(e);
        }
        assertThat(events.get(0).get("message").asText()).as("the first line").startsWith("Embedded S3 server");
        assertThat(events).extracting(e -> e.get("level").asText()).doesNotContain("DEBUG", "TRACE");
        assertThat(events).anySatisfy(e -> {
            assertThat(e.get("logger").asText()).isEqualTo("io.s3logroutes.fetch");
            assertThat(e.get("level").asText()).isEqualTo("INFO");
            assertThat(e.get("message").asText()).matches(SUMMARY.pattern());
        });
        assertThat(events).anySatisfy(e -> assertThat(e.get("message").asText()).startsWith("Ship pipeline closed"));
    }

    @Test
    void aLevelKeyBesideTheJarShowsTheDebugLinesOfOneLogger() throws Exception {
        Files.writeString(work.resolve("application.properties"), "s3logs.log.level.io.s3logroutes.fetch=DEBUG\n");
        List<String> lines = runQuickStart(Map.of(), "Fetch: ", " events from ");
        assertThat(lines).allSatisfy(l -> assertThat(l).matches(TEXT_LINE.pattern()));
        long perObject = 0;
        int objectLines = 0;
        long summed = 0;
        int summedObjects = 0;
        // up to the last summary: a poll that SIGTERM cut short has object lines but no summary
        int last = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (SUMMARY.matcher(lines.get(i)).find()) {
                last = i;
            }
        }
        for (String l : lines.subList(0, last + 1)) {
            Matcher o = OBJECT_LINE.matcher(l);
            if (o.find()) {
                perObject += Long.parseLong(o.group(1));
                objectLines++;
            }
            Matcher s = SUMMARY.matcher(l);
            if (s.find()) {
                assertThat(l).contains("[INFO] fetch - ");
                summed += Long.parseLong(s.group(1));
                summedObjects += Integer.parseInt(s.group(2));
            }
        }
        assertThat(objectLines).as("DEBUG lines of io.s3logroutes.fetch, one per object").isPositive()
                .isEqualTo(summedObjects);
        assertThat(perObject).as("the per-poll summaries add up the per-object lines").isEqualTo(summed);
        assertThat(lines).filteredOn(l -> l.contains("[DEBUG]")).as("DEBUG lines of other loggers")
                .allSatisfy(l -> assertThat(l).contains("[DEBUG] fetch - "));
    }

    /** The quick start in {@code work} until fetch logged a line with all of {@code until}; then SIGTERM. */
    List<String> runQuickStart(Map<String, String> env, String... until) throws Exception {
        RecipeRun.jar(); // the jar must have been built (mvn package)
        assertThat(RecipeRun.jar()).exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "-Xmx256m",
                "-Ds3logs.s3.embedded-jar=" + Path.of(System.getProperty("s3logs.test.s3proxy-jar",
                        "target/embedded/s3proxy.jar")).toAbsolutePath(),
                "-Ds3logs.http.port=0", "-Ds3logs.syslog.enabled=false", "-Ds3logs.fetch.settle=1s",
                "-Ds3logs.fetch.poll-interval=1s", "-jar", RecipeRun.jar().toAbsolutePath().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("S3LOGS_") || k.startsWith("AWS_"));
        pb.environment().putAll(env);
        Path log = work.resolve("output.log");
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !p.isAlive() || read(log).lines().anyMatch(l -> List.of(until).stream()
                            .allMatch(l::contains)));
            assertThat(p.isAlive()).as("running; see %s:%n%s", log, read(log)).isTrue();
        } finally {
            p.destroy(); // SIGTERM: a graceful stop, its log included
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("stopped").isTrue();
        }
        List<String> lines = read(log).lines().toList();
        assertThat(lines).as("the output").hasSizeGreaterThan(5);
        return lines;
    }

    static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
