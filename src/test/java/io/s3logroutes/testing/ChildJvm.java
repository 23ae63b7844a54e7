package io.s3logroutes.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the application's main class in a separate JVM (for exit codes, kill -9 and two-process tests). */
public final class ChildJvm {

    private ChildJvm() {
    }

    public static ProcessBuilder builder(Path workDir, Map<String, String> sysProps, Map<String, String> env,
                                         String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path")));
        sysProps.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("io.s3logroutes.S3LogRoutesMain");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().remove("AWS_ACCESS_KEY_ID");
        pb.environment().remove("AWS_SECRET_ACCESS_KEY");
        pb.environment().putAll(env);
        return pb;
    }

    public static Process start(Path workDir, Path log, Map<String, String> sysProps, Map<String, String> env,
                                String... args) throws IOException {
        File out = log.toFile();
        Process p = builder(workDir, sysProps, env, args).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out)).start();
        STARTED.add(p);
        return p;
    }

    /** Children a failed test left running are killed when the test JVM exits. */
    private static final List<Process> STARTED = new java.util.concurrent.CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly),
                "child-jvm-cleanup"));
    }
}
