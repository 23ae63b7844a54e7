package io.s3logroutes.observe;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * The flows' view of metrics: counters, gauges and last-success stamps by name, with no metrics library in sight.
 * {@link #NONE} counts nothing (unit tests, embedding without metrics); {@link MicrometerMetrics} registers
 * Micrometer meters. Names are dotted ({@code s3logs.ship.objects}); tags come in key, value pairs.
 */
public interface Metrics {

    /** A monotonic counter. */
    interface Count {
        void add(long n);

        default void increment() {
            add(1);
        }
    }

    /** The time of the last success of a flow, exposed in seconds since the epoch. */
    final class Stamp {
        private final Clock clock;
        private final AtomicLong millis = new AtomicLong();

        public Stamp(Clock clock) {
            this.clock = clock;
        }

        public void mark() {
            millis.set(clock.millis());
        }

        /** Milliseconds since the epoch of the last {@link #mark()}, 0 before the first. */
        public long millis() {
            return millis.get();
        }
    }

    Count count(String name, String description, String... tags);

    void gauge(String name, String description, DoubleSupplier value, String... tags);

    /** A counter whose total is read from {@code total} (a count kept by a plain class). */
    void countOf(String name, String description, java.util.function.LongSupplier total, String... tags);

    /** A stamp registered as the gauge {@code s3logs.last.success.seconds{flow=...}} (0 until the first success). */
    default Stamp lastSuccess(String flow) {
        Stamp s = new Stamp(Clock.systemUTC());
        lastSuccess(flow, s::millis);
        return s;
    }

    /**
     * Registers the gauge {@code s3logs.last.success.seconds{flow=...}} over a time kept elsewhere (epoch
     * milliseconds, 0 before the first success).
     */
    void lastSuccess(String flow, java.util.function.LongSupplier epochMillis);

    Metrics NONE = new Metrics() {
        @Override
        public Count count(String name, String description, String... tags) {
            return n -> {
            };
        }

        @Override
        public void gauge(String name, String description, DoubleSupplier value, String... tags) {
        }

        @Override
        public void lastSuccess(String flow, java.util.function.LongSupplier epochMillis) {
        }

        @Override
        public void countOf(String name, String description, java.util.function.LongSupplier total, String... tags) {
        }
    };
}
