package io.s3logroutes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.s3logroutes.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --help, --version and collapse --help answer at once, with exit status 0, without starting anything. */
class CommandLineIT {

    @TempDir
    Path work;

    record Result(int exit, String output) {
    }

    Result run(String... args) throws Exception {
        Process p = ChildJvm.builder(work, Map.of(), Map.of(), args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    @Test
    void versionPrintsTheBuildsVersion() throws Exception {
        Result r = run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.output().strip()).isEqualTo("s3-log-routes " + System.getProperty("s3logs.test.project-version"));
    }

    @Test
    void helpNamesTheCommandsAndTheBucketSetting() throws Exception {
        Result r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.output()).contains("collapse", "--version", "s3logs.s3.bucket", "docs/settings.md")
                .doesNotContain("Apache Camel Runner");
    }

    @Test
    void collapseHelpGivesItsUsage() throws Exception {
        Result r = run("collapse", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.output()).contains("usage: collapse [--from", "docs/collapse.md");
    }
}
