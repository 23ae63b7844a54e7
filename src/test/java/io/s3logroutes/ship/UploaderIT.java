package io.s3logroutes.ship;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import io.s3logroutes.event.EventCodec;
import io.s3logroutes.testing.S3Read;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The uploader's key rules against a real S3 API. */
class UploaderIT {

    @TempDir
    Path dir;

    final TestS3 s3 = TestS3.shared();

    Uploader uploader(String bucket, Clock clock, KeyAssigner keys) {
        Map<String, String> m = new HashMap<>(s3.appProperties(bucket));
        m.put("s3logs.ship.server", "UP01");
        m.put("s3logs.ship.max-upload-delay", "5m");
        Props p = new Props(k -> Optional.ofNullable(m.get(k)));
        ShipSettings s = ShipSettings.from(p);
        return new Uploader(s3.client(), S3Settings.from(p), s, keys, clock);
    }

    Spool.Batch batch(String content) throws Exception {
        Spool spool = new Spool(dir.resolve("spool"), 1 << 20);
        Path open = spool.open();
        try (OutputStream out = spool.output(open)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return spool.seal(open, EventCodec.Format.RAW, false);
    }

    static KeyAssigner keys() {
        return new KeyAssigner(io.s3logroutes.keys.KeyPattern.parse(io.s3logroutes.keys.KeyPattern.DEFAULT),
                Map.of("server", "UP01", "hostname", "h", "input", "ship"));
    }

    @Test
    void anUploadStillFailingPastTheMaximumDelayGetsAFreshKey() throws Exception {
        String bucket = s3.newBucket("fresh");
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        KeyAssigner keys = keys();
        KeyAssigner.Assigned old = keys.assign(now.minusSeconds(301), "");
        Uploader u = uploader(bucket, Clock.fixed(now, ZoneOffset.UTC), keys);
        Spool.Batch b = batch("late\n");
        KeyAssigner.Assigned next = u.attemptKey(b, old, new Uploader.Md5(b));
        assertThat(next.key()).isEqualTo("UP01/2026-11-22/10.00.00-000001");
    }

    @Test
    void aKeyWithinTheDelayIsKeptForTheRetry() throws Exception {
        String bucket = s3.newBucket("keep");
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        KeyAssigner keys = keys();
        KeyAssigner.Assigned old = keys.assign(now.minusSeconds(299), "");
        Spool.Batch b = batch("in time\n");
        KeyAssigner.Assigned next = uploader(bucket, Clock.fixed(now, ZoneOffset.UTC), keys)
                .attemptKey(b, old, new Uploader.Md5(b));
        assertThat(next.key()).isEqualTo("UP01/2026-11-22/09.55.01-000001");
    }

    @Test
    void aBatchAlreadyStoredUnderItsKeyIsNotStoredTwice() throws Exception {
        String bucket = s3.newBucket("same");
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        KeyAssigner keys = keys();
        Spool.Batch b = batch("once\n");
        Uploader u = uploader(bucket, Clock.fixed(now, ZoneOffset.UTC), keys);
        KeyAssigner.Assigned first = u.assign(b);
        // an earlier PUT that succeeded, but whose answer was lost before the batch left the spool
        s3.client().putObject(r -> r.bucket(bucket).key(first.key()),
                software.amazon.awssdk.core.sync.RequestBody.fromFile(b.path()));
        assertThat(u.taken(b, first, new Uploader.Md5(b))).as("a 412 on its own copy: stored").isNull();
        // another object under the key: the next counter
        Spool.Batch other = batch("other\n");
        assertThat(u.taken(other, first, new Uploader.Md5(other)).key()).isEqualTo("UP01/2026-11-22/10.00.00-000002");
        // the same check for a stale key before a fresh one is given
        Uploader later = uploader(bucket, Clock.fixed(now.plusSeconds(301), ZoneOffset.UTC), keys);
        assertThat(later.attemptKey(b, first, new Uploader.Md5(b))).isNull();
        assertThat(S3Read.keys(s3.client(), bucket)).containsExactly(first.key());
    }
}
