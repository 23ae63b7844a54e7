package io.s3logroutes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.s3logroutes.config.StartupException;
import org.apache.camel.main.Main;

/**
 * Entry point of the runnable jar. A route file of the working directory's {@code routes/} replaces the packaged file
 * of the same name (other files there are added), and {@code application.properties} there overrides the packaged
 * one. {@code -Dkey=value} and
 * environment variables override the file (Camel's property precedence). The system properties
 * {@value #CONFIG_FILE} and {@value #ROUTES_DIR} name another file and folder than those of the working directory
 * (the distribution's launcher passes its own {@code config/application.properties} and {@code routes/}).
 */
public final class S3LogRoutesMain {

    /** System property: the settings file used instead of the working directory's {@code application.properties}. */
    public static final String CONFIG_FILE = "s3logs.config-file";
    /** System property: the folder of route files used instead of the working directory's {@code routes/}. */
    public static final String ROUTES_DIR = "s3logs.routes-dir";

    private S3LogRoutesMain() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.print(help());
            System.exit(0);
        }
        if (args.length > 0 && args[0].equals("--version")) {
            System.out.println("s3-log-routes " + version());
            System.exit(0);
        }
        OutOfMemory.install();
        int status;
        boolean json = false;
        try {
            json = configureLogging();
            if (args.length > 0 && args[0].equals("collapse")) {
                status = new io.s3logroutes.collapse.CollapseCommand(S3LogRoutesMain::createMain).run(args);
            } else if (args.length > 0 && args[0].equals("check")) {
                status = new CheckCommand(S3LogRoutesMain::createMain, System.out).run();
            } else {
                status = run(args);
            }
        } catch (Throwable t) {
            if (OutOfMemory.find(t) != null) {
                OutOfMemory.exit(t, Thread.currentThread().getName());
            }
            StartupException se = startupCause(t);
            if (se == null) {
                throw t instanceof RuntimeException re ? re : new IllegalStateException(t);
            }
            if (json) {
                // every line of a JSON log is a JSON object, the last one too
                org.slf4j.LoggerFactory.getLogger("io.s3logroutes").error("s3-log-routes: {}", se.getMessage());
            } else {
                System.err.println("s3-log-routes: " + se.getMessage());
            }
            status = 2;
        }
        System.exit(status);
    }

    /**
     * Configures the logging backend from the {@code s3logs.log.*} keys before anything logs, so that even the first
     * line has the format asked for. They are read from the sources Camel reads later ({@link #propertyLocations()}),
     * since Camel reads its own properties only after logging has started.
     *
     * @return whether the format is JSON
     */
    static boolean configureLogging() {
        io.s3logroutes.logging.LogSettings settings = io.s3logroutes.logging.LogSettings.current();
        if (io.s3logroutes.logging.LogbackSetup.active()) {
            io.s3logroutes.logging.LogbackSetup.apply(settings);
            return settings.format() == io.s3logroutes.logging.LogSettings.Format.JSON;
        }
        return false;
    }

    /** The build's version ({@code build.properties}, filled in by Maven). */
    public static String version() {
        try (var in = S3LogRoutesMain.class.getResourceAsStream("build.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the build's version: " + e.getMessage(), e);
        }
    }

    static String help() {
        return """
                s3-log-routes %s: Apache Camel routes that ship log events to S3, fetch them back, and collapse
                the many small objects of a period into one.

                usage: java -jar s3-log-routes.jar [command] [-Dkey=value ...]

                commands:
                  (none)      run the flows that are enabled (routes/*.camel.yaml, application.properties)
                  collapse    collapse a range of periods once (collapse --help)
                  check       load the settings and routes, start nothing, probe the bucket, print the settings
                  --version   print the version
                  --help      print this text

                the most important settings (-Dkey=value, application.properties, or S3LOGS_S3_BUCKET ...):
                  s3logs.s3.bucket        the bucket (required)
                  s3logs.s3.embedded      true: the quick start's embedded S3 server; false for AWS or any S3 store
                  s3logs.s3.region, s3logs.s3.endpoint, s3logs.s3.path-style
                                          where the bucket is (endpoint: an S3-compatible store)
                  s3logs.ship.enabled, s3logs.fetch.enabled, s3logs.collapse.enabled, s3logs.syslog.enabled
                                          the flows to run
                credentials come from the AWS default chain (environment, profile, s3logs.s3.profile, instance role).

                documentation: README.md and docs/ (settings: docs/settings.md)
                """.formatted(version());
    }

    static int run(String[] args) throws Exception {
        Main main = createMain();
        main.run(args);
        return main.getExitCode();
    }

    /** A Camel Main set up the way the jar runs; tests build the same one. */
    public static Main createMain() {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(propertyLocations());
        main.configure().withRoutesIncludePattern(routesPattern(routesDir()));
        main.configure().addConfiguration(S3LogsConfiguration.class);
        main.bind("s3logsOutOfMemory", new OutOfMemory.Notifier());
        return main;
    }

    /**
     * The file beside the jar, then the packaged defaults: Camel takes a key from the first location that has it, so
     * a key of the file overrides the packaged one, and the packaged file gives every other key.
     */
    static String propertyLocations() {
        String file = System.getProperty(CONFIG_FILE, "");
        if (file.isBlank()) {
            return "file:application.properties;optional=true,classpath:application.properties;optional=true";
        }
        if (!Files.isRegularFile(Path.of(file))) {
            throw new StartupException("the settings file " + Path.of(file).toAbsolutePath() + " (" + CONFIG_FILE
                    + ") does not exist");
        }
        return "file:" + file + ",classpath:application.properties;optional=true";
    }

    /** {@value #ROUTES_DIR} when set (it must exist), else {@code routes} of the working directory. */
    static Path routesDir() {
        String dir = System.getProperty(ROUTES_DIR, "");
        if (dir.isBlank()) {
            return Path.of("routes");
        }
        if (!Files.isDirectory(Path.of(dir))) {
            throw new StartupException("the routes folder " + Path.of(dir).toAbsolutePath() + " (" + ROUTES_DIR
                    + ") does not exist");
        }
        return Path.of(dir);
    }

    /** The route files packaged in the jar ({@code routes/} of the project; a test keeps the two equal). */
    public static final List<String> SHIPPED_ROUTES = List.of("ship.camel.yaml", "fetch-s3.camel.yaml",
            "collapse-s3.camel.yaml", "quickstart.camel.yaml");

    /**
     * Every {@code *.camel.yaml} of the working directory's {@code routes/}, and each packaged route file that has no
     * file of the same name there: a user copies and edits only the file of the flow they change.
     */
    static String routesPattern(Path dir) {
        Set<String> local = new TreeSet<>();
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".camel.yaml")).forEach(local::add);
            } catch (java.io.IOException e) {
                throw new StartupException("cannot read the routes directory " + dir.toAbsolutePath() + ": "
                        + e.getMessage(), e);
            }
        }
        List<String> parts = new ArrayList<>();
        for (String shipped : SHIPPED_ROUTES) {
            if (!local.contains(shipped)) {
                parts.add("classpath:routes/" + shipped);
            }
        }
        if (!local.isEmpty()) {
            parts.add("file:" + dir + "/*.camel.yaml");
        }
        return String.join(",", parts);
    }

    /** The text of every route file that loads: the local {@code routes/} files and the packaged ones they leave. */
    public static List<String> routeTexts(Path dir) throws java.io.IOException {
        List<String> texts = new ArrayList<>();
        Set<String> local = new TreeSet<>();
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(x -> x.getFileName().toString().endsWith(".camel.yaml")).sorted().toList()) {
                    local.add(f.getFileName().toString());
                    texts.add(Files.readString(f));
                }
            }
        }
        for (String shipped : SHIPPED_ROUTES) {
            if (!local.contains(shipped)) {
                try (var in = S3LogRoutesMain.class.getResourceAsStream("/routes/" + shipped)) {
                    if (in != null) {
                        texts.add(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return texts;
    }

    /** The keys the application does not know: described settings and the loaded routes' placeholders are known. */
    public static List<io.s3logroutes.config.KeyCheck.Unknown> unknownKeys(java.util.Map<?, ?> properties)
            throws java.io.IOException {
        Set<String> known = new TreeSet<>(io.s3logroutes.config.KeyCheck.described());
        for (String text : routeTexts(routesDir())) {
            known.addAll(io.s3logroutes.config.KeyCheck.placeholders(text));
        }
        java.util.Map<Object, Object> all = new java.util.HashMap<>(properties);
        all.putAll(System.getProperties());
        return io.s3logroutes.config.KeyCheck.unknown(io.s3logroutes.config.KeyCheck.given(all, System.getenv()), known);
    }

    static StartupException startupCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof StartupException se) {
                return se;
            }
        }
        return null;
    }
}
