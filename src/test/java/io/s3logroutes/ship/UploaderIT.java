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
        KeyAssigner.Assigned stored = u.upload(batch("late\n"), old, k -> { });
        assertThat(stored.key()).isEqualTo("UP01/2026-11-22/10.00.00-000001");
        assertThat(S3Read.keys(s3.client(), bucket)).containsExactly("UP01/2026-11-22/10.00.00-000001");
    }

    @Test
    void aKeyWithinTheDelayIsKeptForTheRetry() throws Exception {
        String bucket = s3.newBucket("keep");
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        KeyAssigner keys = keys();
        KeyAssigner.Assigned old = keys.assign(now.minusSeconds(299), "");
        KeyAssigner.Assigned stored = uploader(bucket, Clock.fixed(now, ZoneOffset.UTC), keys)
                .upload(batch("in time\n"), old, k -> { });
        assertThat(stored.key()).isEqualTo("UP01/2026-11-22/09.55.01-000001");
    }

    @Test
    void aBatchAlreadyStoredUnderItsKeyIsNotStoredTwice() throws Exception {
        String bucket = s3.newBucket("same");
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        KeyAssigner keys = keys();
        Spool.Batch b = batch("once\n");
        Uploader u = uploader(bucket, Clock.fixed(now, ZoneOffset.UTC), keys);
        KeyAssigner.Assigned first = u.upload(b, null, k -> { });
        // a crash after the PUT, before the batch left the spool: the restart retries the same key
        KeyAssigner.Assigned again = u.upload(b, first, k -> { });
        assertThat(again.key()).isEqualTo(first.key());
        assertThat(S3Read.keys(s3.client(), bucket)).containsExactly(first.key());
    }
}
