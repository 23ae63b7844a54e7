package io.s3logroutes.ship;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.s3logroutes.observe.Metrics;
import io.s3logroutes.s3.S3Errors;
import io.s3logroutes.s3.S3Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Upload failures that trying again soon does not cure: an S3 answer that is not an outage ({@link S3Failures}), such
 * as 403 AccessDenied, SignatureDoesNotMatch or InvalidAccessKeyId, 400 InvalidArgument or
 * AuthorizationHeaderMalformed, 404 NoSuchBucket. The batch stays in the spool and its next attempt waits the longest
 * pause ({@code s3logs.ship.retry-max-delay}), so that it is stored once the cause is fixed. Each such failure is
 * counted; it is logged at ERROR with S3's status, error code, message and request id: at once for a new kind of
 * answer, then at most one line a {@link #REPORT_EVERY} with the number of failures since the last line. A batch is
 * <i>held</i> from such a failure until it is stored, its next attempt fails otherwise, or it leaves the spool; while
 * any batch is held, {@link #problem()} names the latest failure (the readiness check {@code ship-upload}). The first
 * upload stored after permanent failures is logged at INFO.
 */
public final class PermanentErrors {

    private static final Logger LOG = LoggerFactory.getLogger(PermanentErrors.class);

    /** At most one ERROR line this often while the same kind of answer repeats. */
    public static final Duration REPORT_EVERY = Duration.ofMinutes(1);

    /** A batch held by a permanent failure: the key tried, the answer and when. */
    record Held(String key, String details, Instant at) {
    }

    private final String bucket;
    private final Duration retryDelay;
    private final Clock clock;
    private final Metrics.Count count;
    private final Map<Path, Held> held = new ConcurrentHashMap<>();
    private Held latest;
    private String lastKind;
    private Instant lastLine;
    private long unreported;
    private long total;
    private long sinceSuccess;

    /**
     * @param bucket     the bucket uploads go to (for the lines)
     * @param retryDelay the pause before the next attempt of a batch that failed permanently
     */
    public PermanentErrors(String bucket, Duration retryDelay, Metrics metrics, Clock clock) {
        this.bucket = bucket;
        this.retryDelay = retryDelay;
        this.clock = clock;
        this.count = metrics.count("s3logs.ship.upload.permanent.failures",
                "upload attempts that failed with a permanent S3 error (403, 400...): retried after the longest pause");
    }

    /** The pause before the next attempt of a batch that failed permanently. */
    public Duration retryDelay() {
        return retryDelay;
    }

    /**
     * After a failed upload attempt of {@code batch} (its spool file) under {@code key} (null: none yet): whether
     * {@code e} is a permanent failure. If it is, the batch is held, and the failure counted and logged; if not, the
     * batch is no longer held.
     */
    public synchronized boolean failed(Path batch, String key, Throwable e) {
        AwsServiceException se = S3Errors.answer(e);
        if (batch == null || se == null || S3Failures.classify(se) != S3Failures.Kind.FATAL) {
            if (batch != null) {
                held.remove(batch);
            }
            return false;
        }
        Instant now = clock.instant();
        Held h = new Held(key, S3Errors.details(se), now);
        held.put(batch, h);
        latest = h;
        count.increment();
        total++;
        unreported++;
        sinceSuccess++;
        String kind = se.statusCode() + " " + S3Errors.code(se);
        if (lastLine == null || !kind.equals(lastKind) || !now.isBefore(lastLine.plus(REPORT_EVERY))) {
            LOG.error("Ship: upload of {} failed with a permanent S3 error, {}; the batch stays in the spool and is"
                    + " retried every {} until S3 accepts it ({} such failures since the last line, {} in all)",
                    where(key), h.details(), text(retryDelay), unreported, total);
            lastKind = kind;
            lastLine = now;
            unreported = 0;
        }
        return true;
    }

    /** S3 has {@code batch} under {@code key}: it is no longer held; the first success after failures is logged. */
    public synchronized void stored(Path batch, String key) {
        held.remove(batch);
        if (sinceSuccess > 0) {
            LOG.info("Ship: S3 accepts uploads again ({} stored) after {} permanent failures; the last was {}",
                    where(key), sinceSuccess, latest.details());
            sinceSuccess = 0;
            unreported = 0;
            lastKind = null;
        }
    }

    /** {@code batch} left the spool without being stored by this instance: it is no longer held. */
    public void gone(Path batch) {
        held.remove(batch);
    }

    /** The number of batches held. */
    public int held() {
        return held.size();
    }

    /** Null while no batch is held; else one line: how many batches, the latest failure and when it occurred. */
    public synchronized String problem() {
        if (held.isEmpty()) {
            return null;
        }
        Held h = null;
        for (Held x : held.values()) {
            if (h == null || x.at().isAfter(h.at())) {
                h = x;
            }
        }
        int n = held.size();
        return n + (n == 1 ? " batch waits" : " batches wait") + " in the spool after a permanent S3 error,"
                + " retried every " + text(retryDelay) + " until S3 accepts them; the latest, at " + h.at()
                + ": upload of " + where(h.key()) + " failed with " + h.details();
    }

    /** 500ms, 10s, 1m: as the settings write it. */
    static String text(Duration d) {
        long ms = d.toMillis();
        if (ms > 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms > 0 && ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private String where(String key) {
        return "s3://" + bucket + "/" + (key == null ? "(no key yet)" : key);
    }
}
