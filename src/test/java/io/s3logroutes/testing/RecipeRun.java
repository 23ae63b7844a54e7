package io.s3logroutes.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A recipe of {@code examples/recipes/NAME} run as a user runs it: its folder copied to {@code dir}, and the runnable
 * jar of this build started there ({@code java -jar .../s3-log-routes.jar}) with {@code -D} settings and the S3
 * credentials in the environment. The health and metrics server listens on {@link #port()}.
 */
public final class RecipeRun implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RecipeRun(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    public static Path jar() {
        return Path.of(System.getProperty("s3logs.test.build-dir", "target")).resolve("s3-log-routes.jar");
    }

    /** Copies the recipe into {@code dir} and starts the jar there. */
    public static RecipeRun start(String recipe, Path dir, Map<String, String> sysProps, Map<String, String> env)
            throws IOException {
        Path source = Path.of("examples/recipes", recipe);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : files.toList()) {
                Path target = dir.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        int port = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m"));
        sysProps.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-Ds3logs.http.enabled=true");
        cmd.add("-Ds3logs.http.port=" + port);
        cmd.addAll(List.of("-jar", jar().toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().remove("AWS_ACCESS_KEY_ID");
        pb.environment().remove("AWS_SECRET_ACCESS_KEY");
        pb.environment().putAll(env);
        Path log = dir.resolve("recipe-output.log");
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new RecipeRun(p, log, port);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** A sample of {@code /observe/metrics} such as {@code s3logs_events_dropped_total{route="ship-events"}}. */
    public double metric(String nameAndLabels) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(nameAndLabels) + " (\\S+)$").matcher(body);
        if (!m.find()) {
            throw new AssertionError(nameAndLabels + " not in\n" + body);
        }
        return Double.parseDouble(m.group(1));
    }

    /** kill -9: the process ends at once, without its shutdown. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the recipe's jar is still running 30 s after kill -9");
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the recipe's jar did not stop within 60 s of SIGTERM:\n" + output());
        }
    }
}
