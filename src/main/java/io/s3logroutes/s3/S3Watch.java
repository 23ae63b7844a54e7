package io.s3logroutes.s3;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a start during an S3 outage: probes S3 every {@link #PROBE_EVERY} until it answers, with one WARN line a
 * minute at most while it does not, and one INFO line when it does; then it stops probing. The flows do not wait for
 * it (ship and syslog spool, fetch and collapse retry on their own); the readiness check {@code s3} asks S3 itself.
 */
public final class S3Watch extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(S3Watch.class);

    public static final Duration PROBE_EVERY = Duration.ofSeconds(5);
    public static final Duration WARN_EVERY = Duration.ofMinutes(1);

    private final Supplier<BucketCheck.Failure> probe;
    private final LongSupplier nanos;
    private final long startedNanos;
    private long lastWarnNanos;
    private volatile boolean answered;
    private ScheduledExecutorService executor;

    /**
     * @param probe       one HeadBucket: null once S3 answers
     * @param nanos       the clock ({@link System#nanoTime} but in tests)
     * @param warnedNanos when the first WARN line (the one at startup) was written
     */
    public S3Watch(Supplier<BucketCheck.Failure> probe, LongSupplier nanos, long warnedNanos) {
        this.probe = probe;
        this.nanos = nanos;
        this.startedNanos = warnedNanos;
        this.lastWarnNanos = warnedNanos;
    }

    /**
     * The one WARN line at startup when S3 does not answer; it names the readiness endpoint only where the HTTP
     * server ({@code s3logs.http.enabled}) serves it.
     */
    public static String startLine(String problem, boolean httpEnabled) {
        return problem + "; starting anyway: ship and syslog take input into the spool, fetch and collapse retry, "
                + (httpEnabled ? "/observe/health/ready is 503" : "the readiness check is DOWN")
                + " until S3 answers (probed every " + PROBE_EVERY.toSeconds() + "s, a WARN line a minute)";
    }

    public boolean answered() {
        return answered;
    }

    /** One probe: the line it logged (WARN while S3 does not answer, at most one a minute; INFO once it does), or null. */
    public synchronized String tick() {
        if (answered) {
            return null;
        }
        BucketCheck.Failure f = probe.get();
        long now = nanos.getAsLong();
        long down = TimeUnit.NANOSECONDS.toSeconds(now - startedNanos);
        if (f == null) {
            answered = true;
            String line = "S3 answers again after " + down + "s: uploads from the spool, fetch and collapse go on";
            LOG.info(line);
            return line;
        }
        if (now - lastWarnNanos >= WARN_EVERY.toNanos()) {
            lastWarnNanos = now;
            String line = f.message() + " (for " + down + "s; ship and syslog keep spooling, fetch and collapse retry)";
            LOG.warn(line);
            return line;
        }
        return null;
    }

    @Override
    protected void doStart() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "s3logs-s3-watch");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                if (tick() != null && answered) {
                    executor.shutdown();
                }
            } catch (RuntimeException e) {
                LOG.warn("S3 probe failed: {}", BucketCheck.rootMessage(e));
            }
        }, PROBE_EVERY.toMillis(), PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
