package io.s3logroutes.collapse;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import io.s3logroutes.testing.TestS3;
import software.amazon.awssdk.services.s3.S3Client;

/** A collapse service on a fresh bucket of the shared test S3 server, with a clock in January 2015. */
final class Fixture {

    static final Clock JAN_2015 = Clock.fixed(Instant.parse("2015-01-05T12:00:00Z"), ZoneOffset.UTC);

    final TestS3 server = TestS3.shared();
    final S3Client s3 = server.client();
    final String bucket;
    Clock clock = JAN_2015;

    Fixture(String hint) {
        this.bucket = server.newBucket(hint);
    }

    Map<String, String> props(String... kv) {
        Map<String, String> m = new HashMap<>(server.appProperties(bucket));
        m.putAll(LogData.map(kv));
        return m;
    }

    CollapseService service(CollapseHook hook, String... kv) {
        return service(s3, hook, kv);
    }

    /** A service that talks to S3 through {@code client} (for example one pointed at a fault proxy). */
    CollapseService service(S3Client client, CollapseHook hook, String... kv) {
        Props p = new Props(k -> Optional.ofNullable(props(kv).get(k)));
        return new CollapseService(client, S3Settings.from(p), CollapseSettings.from(p), clock, hook);
    }

    List<GroupResult> run(String from, String to, String... kv) {
        try (CollapseService svc = service(CollapseHook.NONE, kv)) {
            return svc.runRange(Periods.parseArg("--from", from), Periods.parseArg("--to", to));
        }
    }

    java.util.SortedMap<String, Long> list(String prefix) {
        return LogData.list(s3, bucket, prefix);
    }

    byte[] get(String key) {
        return LogData.get(s3, bucket, key);
    }

    int pendingUploads() {
        return s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().size();
    }
}
