package io.s3logroutes.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code python3}, for the tests that have Python itself read what ship writes as pickles. Where it is not on the
 * PATH those tests are skipped with a message saying so ({@code .ci/run} installs it).
 */
public final class Python3 {

    /** Why the pickle checks by Python are skipped, when they are. */
    public static final String MISSING = "python3 is not on the PATH: the pickles are not loaded by Python here";

    private static Boolean available;

    private Python3() {
    }

    public static synchronized boolean available() {
        if (available == null) {
            try {
                Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                available = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                available = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                available = false;
            }
        }
        return available;
    }

    /**
     * Runs a script with arguments and returns what it printed.
     *
     * @throws AssertionError when it fails, with what it wrote to standard error
     */
    public static String run(Path script, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString()));
        cmd.addAll(args);
        Path err = java.nio.file.Files.createTempFile("python3-", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(cmd + " did not end within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(cmd + " failed (exit " + p.exitValue() + "): "
                        + java.nio.file.Files.readString(err));
            }
            return out;
        } finally {
            java.nio.file.Files.deleteIfExists(err);
        }
    }
}
