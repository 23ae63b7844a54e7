package io.s3logroutes.ship;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import io.s3logroutes.observe.MicrometerMetrics;
import io.s3logroutes.s3.S3ClientFactory;
import io.s3logroutes.testing.FaultProxy;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Which upload failures are permanent, what they log and count, and how long a batch is held: with the exceptions
 * of real answers, from S3Proxy behind the fault proxy.
 */
class PermanentErrorsTest {

    static final String SIGNATURE = "The request signature we calculated does not match the signature you provided."
            + " Check your key and signing method.";
    static TestS3 s3;
    static String bucket;
    static FaultProxy proxy;
    static S3Client client;

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final PermanentErrors errors = new PermanentErrors("logs", Duration.ofMinutes(1), new MicrometerMetrics(registry),
            clock);
    final ListAppender<ILoggingEvent> log = new ListAppender<>();
    final Path a = Path.of("spool/1-1.raw.batch");
    final Path b = Path.of("spool/1-2.raw.batch");

    @BeforeAll
    static void server() throws IOException {
        s3 = TestS3.shared();
        bucket = s3.newBucket("permanent");
        proxy = new FaultProxy(s3.server().endpoint(), 0, 1);
        client = client(proxy.endpoint().toString());
    }

    @AfterAll
    static void close() {
        client.close();
        proxy.close();
    }

    static S3Client client(String endpoint) {
        Map<String, String> p = Map.of("s3logs.s3.bucket", bucket, "s3logs.s3.endpoint", endpoint,
                "s3logs.s3.path-style", "true", "s3logs.s3.max-attempts", "1");
        return S3ClientFactory.create(S3Settings.from(new Props(k -> Optional.ofNullable(p.get(k)))),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.server().accessKey(),
                        s3.server().secretKey())), 2);
    }

    /** What one PUT through the proxy throws while it answers {@code status code message}. */
    static Throwable put(int status, String code, String message) {
        proxy.refuse("PUT", status, code, message);
        try {
            Throwable t = catchThrowable(() -> client.putObject(r -> r.bucket(bucket).key("k"),
                    RequestBody.fromString("x")));
            assertThat(t).as("the PUT failed").isNotNull();
            return t;
        } finally {
            proxy.stopRefusing();
        }
    }

    @BeforeEach
    void capture() {
        log.start();
        ((Logger) LoggerFactory.getLogger(PermanentErrors.class)).addAppender(log);
    }

    @AfterEach
    void release() {
        ((Logger) LoggerFactory.getLogger(PermanentErrors.class)).detachAppender(log);
    }

    double permanentFailures() {
        return registry.get("s3logs.ship.upload.permanent.failures").counter().count();
    }

    List<String> lines(Level level) {
        return log.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void a403HoldsTheBatchUntilItIsStoredAndIsLoggedWithCodeAndMessage() {
        Throwable denied = put(403, "SignatureDoesNotMatch", SIGNATURE);
        assertThat(errors.problem()).isNull();

        assertThat(errors.failed(a, "SERVER01/2026-11-24/12.00.00-000001.gz", denied)).isTrue();
        assertThat(errors.held()).isEqualTo(1);
        assertThat(permanentFailures()).isEqualTo(1.0);
        assertThat(errors.problem()).isEqualTo("1 batch waits in the spool after a permanent S3 error, retried every"
                + " 1m until S3 accepts them; the latest, at 2026-11-24T12:00:00Z: upload of"
                + " s3://logs/SERVER01/2026-11-24/12.00.00-000001.gz failed with 403 SignatureDoesNotMatch: "
                + SIGNATURE + " (request id FAULTPROXY)");
        assertThat(lines(Level.ERROR)).containsExactly("Ship: upload of s3://logs/SERVER01/2026-11-24/12.00.00-000001.gz"
                + " failed with a permanent S3 error, 403 SignatureDoesNotMatch: " + SIGNATURE
                + " (request id FAULTPROXY); the batch stays in the spool and is retried every 1m until S3 accepts it"
                + " (1 such failures since the last line, 1 in all)");

        clock.advance(Duration.ofMinutes(1));
        errors.stored(a, "SERVER01/2026-11-24/12.00.00-000001.gz");
        assertThat(errors.held()).isZero();
        assertThat(errors.problem()).isNull();
        assertThat(lines(Level.INFO)).containsExactly("Ship: S3 accepts uploads again"
                + " (s3://logs/SERVER01/2026-11-24/12.00.00-000001.gz stored) after 1 permanent failures; the last was"
                + " 403 SignatureDoesNotMatch: " + SIGNATURE + " (request id FAULTPROXY)");
        // a later success after no failure is not logged again
        errors.stored(b, "k2");
        assertThat(lines(Level.INFO)).hasSize(1);
    }

    @Test
    void a400IsPermanentButOutagesAndOtherFailuresAreNot() throws IOException {
        Throwable badRequest = put(400, "InvalidArgument", "Invalid argument.");
        assertThat(errors.failed(a, "k1", badRequest)).isTrue();
        assertThat(errors.problem()).contains("failed with 400 InvalidArgument: Invalid argument. (request id FAULTPROXY)");
        // a 400 without a body, 404 NoSuchBucket: permanent too
        assertThat(errors.failed(b, "k2", put(400, null, null))).isTrue();
        assertThat(errors.problem()).startsWith("2 batches wait").contains("k2 failed with 400 Bad Request, no error");
        assertThat(errors.failed(b, "k2", put(404, "NoSuchBucket", "The specified bucket does not exist"))).isTrue();
        assertThat(permanentFailures()).isEqualTo(3.0);

        // S3 cannot serve now: not permanent, and the batch that failed so is no longer held
        assertThat(errors.failed(a, "k1", put(503, "SlowDown", "Please reduce your request rate."))).isFalse();
        assertThat(errors.failed(a, "k1", put(400, "RequestTimeout", "Your socket connection timed out."))).isFalse();
        assertThat(errors.held()).isEqualTo(1);
        assertThat(errors.problem()).startsWith("1 batch waits").contains("k2 failed with 404 NoSuchBucket");
        // no answer at all: an outage
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (S3Client nowhere = client("http://127.0.0.1:" + closed)) {
            Throwable refused = catchThrowable(() -> nowhere.putObject(r -> r.bucket(bucket).key("k"),
                    RequestBody.fromString("x")));
            assertThat(errors.failed(b, "k2", refused)).isFalse();
        }
        assertThat(errors.held()).isZero();
        assertThat(errors.problem()).isNull();
        // not an S3 answer, or before the batch was taken: not permanent
        assertThat(errors.failed(a, "k1", new IOException("disk full"))).isFalse();
        assertThat(errors.failed(null, null, badRequest)).isFalse();
        assertThat(permanentFailures()).isEqualTo(3.0);
    }

    @Test
    void aBatchThatLeavesTheSpoolIsNoLongerHeld() {
        errors.failed(a, "k1", put(403, "AccessDenied", "Access Denied"));
        errors.gone(a);
        assertThat(errors.held()).isZero();
        assertThat(errors.problem()).isNull();
    }

    @Test
    void theSameAnswerIsLoggedOnceAMinuteWithTheCountAndANewOneAtOnce() {
        Throwable denied = put(403, "AccessDenied", "Access Denied");
        errors.failed(a, "k1", denied);
        clock.advance(Duration.ofSeconds(20));
        errors.failed(b, "k2", denied);
        clock.advance(Duration.ofSeconds(20));
        errors.failed(a, "k1", denied);
        assertThat(lines(Level.ERROR)).hasSize(1);
        clock.advance(Duration.ofSeconds(20));
        errors.failed(b, "k2", denied);
        assertThat(lines(Level.ERROR)).hasSize(2);
        assertThat(lines(Level.ERROR).get(1)).contains("s3://logs/k2 failed with a permanent S3 error, 403 AccessDenied:"
                + " Access Denied (request id FAULTPROXY)").endsWith("(3 such failures since the last line, 4 in all)");
        // another answer is logged at once
        clock.advance(Duration.ofSeconds(1));
        errors.failed(a, "k1", put(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist."));
        assertThat(lines(Level.ERROR)).hasSize(3);
        assertThat(lines(Level.ERROR).get(2)).contains("403 InvalidAccessKeyId: The AWS Access Key Id")
                .endsWith("(1 such failures since the last line, 5 in all)");
        assertThat(permanentFailures()).isEqualTo(5.0);
    }

    @Test
    void pausesAreWrittenAsTheSettingsWriteThem() {
        assertThat(PermanentErrors.text(Duration.ofMinutes(1))).isEqualTo("1m");
        assertThat(PermanentErrors.text(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(PermanentErrors.text(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
