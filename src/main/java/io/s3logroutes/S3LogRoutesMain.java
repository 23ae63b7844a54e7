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
 * environment variables override the file (Camel's property precedence).
 */
public final class S3LogRoutesMain {

    private S3LogRoutesMain() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = args.length > 0 && args[0].equals("collapse")
                    ? new io.s3logroutes.collapse.CollapseCommand(S3LogRoutesMain::createMain).run(args) : run(args);
        } catch (Throwable t) {
            StartupException se = startupCause(t);
            if (se == null) {
                throw t instanceof RuntimeException re ? re : new IllegalStateException(t);
            }
            System.err.println("s3-log-routes: " + se.getMessage());
            status = 2;
        }
        System.exit(status);
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
        main.configure().withRoutesIncludePattern(routesPattern(Path.of("routes")));
        main.configure().addConfiguration(S3LogsConfiguration.class);
        return main;
    }

    /**
     * The file beside the jar, then the packaged defaults: Camel takes a key from the first location that has it, so
     * a key of the file overrides the packaged one, and the packaged file gives every other key.
     */
    static String propertyLocations() {
        return "file:application.properties;optional=true,classpath:application.properties;optional=true";
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

    static StartupException startupCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof StartupException se) {
                return se;
            }
        }
        return null;
    }
}
