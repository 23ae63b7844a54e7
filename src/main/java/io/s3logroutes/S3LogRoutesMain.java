package io.s3logroutes;

import java.nio.file.Files;
import java.nio.file.Path;

import io.s3logroutes.config.StartupException;
import org.apache.camel.main.Main;

/**
 * Entry point of the runnable jar. {@code routes/*.camel.yaml} and {@code application.properties} are read from the
 * working directory when present there, otherwise from the copies packaged in the jar. {@code -Dkey=value} and
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

    /** The file beside the jar, then the packaged defaults: the first location that defines a key wins. */
    static String propertyLocations() {
        return "file:application.properties;optional=true,classpath:application.properties;optional=true";
    }

    /** The working directory's routes when it has any, else the packaged ones. */
    static String routesPattern(Path dir) {
        if (!Files.isDirectory(dir)) {
            return "classpath:routes/*.camel.yaml";
        }
        try (var files = Files.list(dir)) {
            if (files.anyMatch(f -> f.getFileName().toString().endsWith(".camel.yaml"))) {
                return "file:" + dir + "/*.camel.yaml";
            }
            return "classpath:routes/*.camel.yaml";
        } catch (java.io.IOException e) {
            throw new StartupException("cannot read the routes directory " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
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
