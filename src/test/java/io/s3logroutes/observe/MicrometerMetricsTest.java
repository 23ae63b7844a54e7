package io.s3logroutes.observe;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MicrometerMetricsTest {

    @Test
    void countersGaugesAndStampsInThePrometheusScrape() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MicrometerMetrics m = new MicrometerMetrics(registry);
        Metrics.Count c = m.count("s3logs.test.objects", "objects", "flow", "t");
        c.add(3);
        c.increment();
        AtomicLong held = new AtomicLong(7);
        m.gauge("s3logs.test.held", "held", held::get);
        Metrics.Stamp s = m.lastSuccess("t");
        String before = registry.scrape();
        assertThat(before).contains("s3logs_test_objects_total{flow=\"t\"} 4.0").contains("s3logs_test_held 7.0")
                .contains("s3logs_last_success_seconds{flow=\"t\"} 0.0");
        s.mark();
        assertThat(m.lastSuccesses().get("t").getAsLong()).isPositive();
    }

    @Test
    void aFunctionCounterOverAMethodReferenceSurvivesGarbageCollection() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MicrometerMetrics m = new MicrometerMetrics(registry);
        AtomicLong total = new AtomicLong(42);
        m.countOf("s3logs.test.read", "read", total::get);
        // a lambda nobody else holds, like fetcher::objectsRead: collected unless the facade keeps it
        Object probe = new Object();
        WeakReference<Object> gone = new WeakReference<>(probe);
        probe = null;
        await().until(() -> {
            System.gc();
            return gone.get() == null;
        });
        assertThat(registry.scrape()).contains("s3logs_test_read_total 42.0");
    }
}
