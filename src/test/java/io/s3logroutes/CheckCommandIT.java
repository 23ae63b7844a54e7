package io.s3logroutes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.s3logroutes.testing.ChildJvm;
import io.s3logroutes.testing.S3Read;
import io.s3logroutes.testing.ShipProps;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check}: settings and routes load, nothing starts, the bucket is probed, nothing is written. */
class CheckCommandIT {

    static final TestS3 S3 = TestS3.shared();

    @TempDir
    Path work;

    record Result(int exit, String output) {
    }

    Result check(Map<String, String> props) throws Exception {
        Process p = ChildJvm.builder(work, props, S3.credentialsEnv(), "check").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    Map<String, String> props(String bucket) {
        Map<String, String> p = new HashMap<>(S3.appProperties(bucket));
        p.putAll(ShipProps.under(work, "SERVER01"));
        p.put("s3logs.fetch.enabled", "true");
        p.put("s3logs.fetch.prefix", "SERVER01/");
        return p;
    }

    @Test
    void goodSettingsPassProbeTheBucketAndWriteNothing() throws Exception {
        String bucket = S3.newBucket("check-ok");
        Result r = check(props(bucket));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("ok: ship can list s3://" + bucket + "/",
                "ok: fetch can list s3://" + bucket + "/SERVER01/", "s3logs.s3.bucket = " + bucket,
                "s3logs.ship.batch.max-events = 100000", "check: ok");
        assertThat(r.output()).doesNotContain(S3.server().secretKey()).doesNotContain("Started ship-file");
        assertThat(S3Read.keys(S3.client(), bucket)).isEmpty();
    }

    @Test
    void aMisspeltKeyIsAnErrorThatNamesTheNearestKey() throws Exception {
        Map<String, String> p = props(S3.newBucket("check-typo"));
        p.put("s3logs.ship.batch.max-event", "5");
        p.put("s3logs.shipp.enabled", "true");
        Result r = check(p);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.output()).contains(
                "error: unknown setting s3logs.ship.batch.max-event (did you mean s3logs.ship.batch.max-events?)",
                "error: unknown setting s3logs.shipp.enabled (did you mean s3logs.ship.enabled?)", "check: 2 errors");
    }

    @Test
    void aBadValueIsAnErrorOfOneLine() throws Exception {
        Map<String, String> p = props(S3.newBucket("check-bad"));
        p.put("s3logs.ship.gzip-level", "42");
        Result r = check(p);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.output()).contains("error: ").contains("s3logs.ship.gzip-level").contains("check: failed")
                .doesNotContain("\tat ");
    }

    @Test
    void anUnreachableEndpointFailsTheCommandWithOneLine() throws Exception {
        // the service starts during an outage (S3OutageAtStartIT); a command, which runs once, fails at once
        Map<String, String> p = props("any");
        int closed = io.s3logroutes.embedded.EmbeddedS3Server.freePort();
        p.put("s3logs.s3.endpoint", "http://127.0.0.1:" + closed);
        p.put("s3logs.s3.max-attempts", "1");
        Result r = check(p);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.output()).contains("error: S3 bucket 'any' at http://127.0.0.1:" + closed + " is unreachable",
                "check: failed").doesNotContain("\tat ").doesNotContain("starting anyway");
    }
}
