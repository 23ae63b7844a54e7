package io.s3logroutes.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * target/s3-log-routes-VERSION-dist.tar.gz, unpacked: its layout, and the launcher run from another directory with
 * the distribution's settings and routes ({@code --version}, {@code check} against the embedded S3 server, the CDS
 * archive).
 */
class DistributionIT {

    static final Path BUILD = Path.of(System.getProperty("s3logs.test.build-dir", "target"));
    static final String VERSION = System.getProperty("s3logs.test.project-version");

    @TempDir
    static Path unpacked;

    static Path home;

    @TempDir
    Path elsewhere;

    record Result(int exit, String output) {
    }

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = BUILD.resolve("s3-log-routes-" + VERSION + "-dist.tar.gz");
        assertThat(archive).exists();
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toAbsolutePath().toString(), "-C", unpacked.toString())
                .redirectErrorStream(true).start();
        String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).as(out).isZero();
        home = unpacked.resolve("s3-log-routes-" + VERSION);
    }

    Result launch(Map<String, String> env, String... args) throws Exception {
        return launch(home.resolve("bin/s3-log-routes"), env, args);
    }

    Result launch(Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(elsewhere.toFile()).redirectErrorStream(true);
        pb.environment().remove("AWS_ACCESS_KEY_ID");
        pb.environment().remove("AWS_SECRET_ACCESS_KEY");
        pb.environment().remove("JAVA_OPTS");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    @Test
    void holdsTheLauncherTheJarTheSettingsTheRoutesTheUnitAndTheLicence() throws IOException {
        assertThat(home.resolve("bin/s3-log-routes")).isExecutable();
        assertThat(home.resolve("lib/s3-log-routes.jar")).isRegularFile();
        assertThat(home.resolve("config/application.properties")).hasSameTextualContentAs(Path.of("application.properties"));
        try (var routes = Files.list(home.resolve("routes"))) {
            assertThat(routes.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(io.s3logroutes.S3LogRoutesMain.SHIPPED_ROUTES);
        }
        assertThat(Files.readString(home.resolve("LICENSE"))).contains("Apache License", "Version 2.0, January 2004");
        String unit = Files.readString(home.resolve("systemd/s3-log-routes.service"));
        assertThat(unit.lines()).contains("Restart=on-failure", "User=s3-log-routes", "NoNewPrivileges=true",
                "ProtectSystem=strict", "ReadWritePaths=/var/lib/s3-log-routes", "KillSignal=SIGTERM",
                "WorkingDirectory=/var/lib/s3-log-routes", "ExecStart=/opt/s3-log-routes/bin/s3-log-routes");
    }

    @Test
    void versionFromAnotherDirectory() throws Exception {
        Result r = launch(Map.of(), "--version");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output().strip()).isEqualTo("s3-log-routes " + VERSION);
        // through a symbolic link elsewhere (/usr/local/bin/s3-log-routes, say), the launcher finds its distribution
        Path link = Files.createSymbolicLink(Files.createDirectories(elsewhere.resolve("bin")).resolve("s3lr"),
                home.resolve("bin/s3-log-routes"));
        Result linked = launch(link, Map.of(), "--version");
        assertThat(linked.exit()).as(linked.output()).isZero();
        assertThat(linked.output().strip()).isEqualTo("s3-log-routes " + VERSION);
    }

    @Test
    void checkUsesTheDistributionsSettingsAndJavaOptsNotTheWorkingDirectorys() throws Exception {
        Path config = home.resolve("config/application.properties");
        String original = Files.readString(config);
        Files.writeString(config, original + "\ns3logs.s3.bucket = dist-check-bucket\n");
        // a settings file in the working directory is not the launcher's
        Files.writeString(elsewhere.resolve("application.properties"), "s3logs.s3.bucket = not-this-one\n");
        try {
            Result r = launch(Map.of("JAVA_OPTS", "-Xmx256m -Ds3logs.fetch.prefix=from-java-opts/"), "check");
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).contains("s3logs.s3.bucket = dist-check-bucket",
                    "s3logs.fetch.prefix = from-java-opts/", "ok: fetch can list s3://dist-check-bucket/from-java-opts/",
                    "check: ok").doesNotContain("not-this-one");
            // relative data paths are the working directory's: the embedded server's files went there
            assertThat(elsewhere.resolve("data/s3/s3proxy.log")).exists();
            assertThat(home.resolve("data")).doesNotExist();
        } finally {
            Files.writeString(config, original);
        }
    }

    @Test
    void memoryDefaultsApplyAndJavaOptsOrTheVariableOverrideThem() throws Exception {
        Result defaults = launch(Map.of("JAVA_OPTS", "-XX:+PrintCommandLineFlags"), "--version");
        assertThat(defaults.exit()).as(defaults.output()).isZero();
        assertThat(defaults.output()).contains("-XX:+UseSerialGC", "-XX:MaxHeapSize=100663296", "-XX:TieredStopAtLevel=1",
                "-XX:MaxDirectMemorySize=67108864", "s3-log-routes " + VERSION);
        Result larger = launch(Map.of("JAVA_OPTS", "-XX:+PrintCommandLineFlags -Xmx256m"), "--version");
        assertThat(larger.exit()).as(larger.output()).isZero();
        assertThat(larger.output()).contains("-XX:MaxHeapSize=268435456").doesNotContain("-XX:MaxHeapSize=100663296");
        Result none = launch(Map.of("JAVA_OPTS", "-XX:+PrintCommandLineFlags", "S3_LOG_ROUTES_MEM_OPTS", ""), "--version");
        assertThat(none.exit()).as(none.output()).isZero();
        assertThat(none.output()).contains("-XX:+UseG1GC").doesNotContain("-XX:+UseSerialGC", "-XX:MaxHeapSize=100663296");
    }

    @Test
    void theCdsHelperWritesAnArchiveThatTheLauncherThenUses() throws Exception {
        Path jsa = home.resolve("lib/s3-log-routes.jsa");
        try {
            Result made = launch(Map.of(), "cds");
            assertThat(made.exit()).as(made.output()).isZero();
            assertThat(made.output()).contains("s3-log-routes: wrote " + jsa).doesNotContain("note:");
            assertThat(jsa).isRegularFile();
            // the archive comes from a start in a scratch directory: nothing lands in the working directory
            try (var left = Files.list(elsewhere)) {
                assertThat(left).isEmpty();
            }
            Result used = launch(Map.of("JAVA_OPTS", "-Xlog:class+load=info"), "--version");
            assertThat(used.exit()).as(used.output()).isZero();
            assertThat(used.output()).contains("io.s3logroutes.S3LogRoutesMain source: shared objects file (top)");
            Result off = launch(Map.of("JAVA_OPTS", "-Xlog:class+load=info", "S3_LOG_ROUTES_CDS", "off"), "--version");
            assertThat(off.output()).doesNotContain("shared objects file (top)");
            // another jar (an upgrade, here a newer time stamp) does not match the archive: the JVM ignores it, silently
            Path jar = home.resolve("lib/s3-log-routes.jar");
            var stamp = Files.getLastModifiedTime(jar);
            Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(stamp.toMillis() + 60_000));
            try {
                Result stale = launch(Map.of("JAVA_OPTS", "-Xlog:class+load=info"), "--version");
                assertThat(stale.exit()).as(stale.output()).isZero();
                assertThat(stale.output()).contains("s3-log-routes " + VERSION)
                        .doesNotContain("shared objects file (top)").doesNotContain("[warning]").doesNotContain("[error");
            } finally {
                Files.setLastModifiedTime(jar, stamp);
            }
        } finally {
            Files.deleteIfExists(jsa);
        }
    }
}
