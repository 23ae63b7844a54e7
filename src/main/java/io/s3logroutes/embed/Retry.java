package io.s3logroutes.embed;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an attempt until it succeeds, without a limit on the number of attempts, with exponential backoff between
 * them: the first pause is {@code initial}, each next one twice as long, never more than {@code max}, and each
 * varied by up to 15% either way (what Camel's redelivery does with {@code useExponentialBackOff},
 * {@code backOffMultiplier: 2} and {@code useCollisionAvoidance}, as the application's {@code ship-put} route has
 * it). Every failure is logged with its cause; the loop ends early only when {@code keepGoing} turns false.
 */
public final class Retry {

    private static final Logger LOG = LoggerFactory.getLogger(Retry.class);
    static final double MULTIPLIER = 2.0;
    static final double COLLISION = 0.15;

    /** One attempt. */
    public interface Attempt<T> {
        T run() throws Exception;
    }

    /** How the loop waits; tests pass one that records instead of sleeping. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** The loop was told to stop before an attempt succeeded; the last failure is the cause. */
    public static final class StoppedException extends Exception {
        StoppedException(String what, Throwable last) {
            super("gave up on " + what + " because it is stopping", last);
        }
    }

    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;
    private final Sleeper sleeper;

    public Retry(Duration initial, Duration max) {
        this(initial, max, Math::random, d -> Thread.sleep(d.toMillis()));
    }

    Retry(Duration initial, Duration max, DoubleSupplier random, Sleeper sleeper) {
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("retry delays: need 0 <= initial <= max, got " + initial + " and " + max);
        }
        this.initial = initial;
        this.max = max;
        this.random = random;
        this.sleeper = sleeper;
    }

    /** The pause after failed attempt number {@code failures} (1 for the first failure). */
    public Duration delay(int failures) {
        double ms = initial.toMillis();
        for (int i = 1; i < failures && ms < max.toMillis(); i++) {
            ms *= MULTIPLIER;
        }
        ms = Math.min(ms, max.toMillis());
        // collision avoidance: +-15%
        ms = ms * (1 - COLLISION + 2 * COLLISION * random.getAsDouble());
        return Duration.ofMillis(Math.round(ms));
    }

    /**
     * Runs {@code attempt} until it returns. Interruption ends the loop with {@link InterruptedException};
     * {@code keepGoing} false after a failure ends it with {@link StoppedException}.
     */
    public <T> T run(String what, Attempt<T> attempt, BooleanSupplier keepGoing)
            throws InterruptedException, StoppedException {
        int failures = 0;
        while (true) {
            try {
                return attempt.run();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                failures++;
                if (!keepGoing.getAsBoolean()) {
                    throw new StoppedException(what, e);
                }
                Duration d = delay(failures);
                LOG.warn("{} failed (attempt {}), retrying in {} ms: {}", what, failures, d.toMillis(), e.toString());
                LOG.debug("{} failure", what, e);
                sleeper.sleep(d);
            }
        }
    }
}
