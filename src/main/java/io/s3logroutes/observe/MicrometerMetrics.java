package io.s3logroutes.observe;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** {@link Metrics} as Micrometer meters in one registry (the Prometheus one that {@code /observe/metrics} scrapes). */
public final class MicrometerMetrics implements Metrics {

    private final MeterRegistry registry;
    private final Map<String, LongSupplier> lastSuccess = new ConcurrentHashMap<>();
    /** Micrometer holds the object of a function counter weakly: the suppliers are kept here. */
    private final List<LongSupplier> totals = new CopyOnWriteArrayList<>();

    public MicrometerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The last-success times registered so far, by flow (epoch milliseconds, 0 before the first). */
    public Map<String, LongSupplier> lastSuccesses() {
        return lastSuccess;
    }

    @Override
    public void lastSuccess(String flow, LongSupplier epochMillis) {
        lastSuccess.put(flow, epochMillis);
        gauge("s3logs.last.success.seconds", "time of the last success of the flow, seconds since the epoch",
                () -> epochMillis.getAsLong() / 1000.0, "flow", flow);
    }

    @Override
    public Count count(String name, String description, String... tags) {
        Counter c = Counter.builder(name).description(description).tags(tags).register(registry);
        return n -> c.increment(n);
    }

    @Override
    public void countOf(String name, String description, LongSupplier total, String... tags) {
        totals.add(total);
        FunctionCounter.builder(name, total, t -> t.getAsLong()).description(description).tags(tags).register(registry);
    }

    @Override
    public void gauge(String name, String description, DoubleSupplier value, String... tags) {
        Gauge.builder(name, value::getAsDouble).description(description).tags(tags).strongReference(true)
                .register(registry);
    }
}
