package io.s3logroutes.observe;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import io.s3logroutes.config.StartupException;
import io.s3logroutes.s3.BucketCheck;
import org.apache.camel.CamelContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The metrics facade ({@code s3logsMetrics}) over the Micrometer registry that camel-micrometer-prometheus serves on
 * {@code /observe/metrics}, and the S3 health check ({@code s3logs.health.s3-timeout}) on {@code /observe/health} and
 * {@code /observe/health/ready} (the application's checks are readiness checks; liveness is Camel's own checks).
 * The flows' *Beans classes take the facade with {@link #metrics(CamelContext)} and add their own meters and checks.
 */
public final class ObserveBeans {

    /** The registry name that camel-micrometer looks up (MicrometerConstants.METRICS_REGISTRY_NAME). */
    static final String REGISTRY = "metricsRegistry";
    static final String FACADE = "s3logsMetrics";

    private ObserveBeans() {
    }

    public static void register(CamelContext context, Props props, S3Client s3, S3Settings settings) {
        MeterRegistry registry = context.getRegistry().lookupByNameAndType(REGISTRY, MeterRegistry.class);
        if (registry == null && props.bool("s3logs.http.enabled", false)) {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            context.getRegistry().bind(REGISTRY, MeterRegistry.class, registry);
        }

        Duration timeout = props.duration("s3logs.health.s3-timeout", "3s");
        props.integer("s3logs.http.port", 9876, 0, 65535);
        health(context, "s3", () -> {
            try {
                BucketCheck.check(s3, settings, timeout);
                return null;
            } catch (StartupException e) {
                return e.getMessage();
            }
        });
        // no registry (the HTTP server off and none of the Camel estate's): the flows count into Metrics.NONE, and
        // there is no last-success check, which reads the stamps that the meters keep
        if (registry != null) {
            MicrometerMetrics metrics = new MicrometerMetrics(registry);
            context.getRegistry().bind(FACADE, Metrics.class, metrics);
            silence(context, props, metrics);
        }
        context.getRegistry().bind("s3logsHealth-routes", new RoutesLivenessCheck(context));
    }

    /** The health check {@code last-success} over the flows that are on and have a {@code <flow>-max-silence}. */
    private static void silence(CamelContext context, Props props, MicrometerMetrics metrics) {
        Map<String, Duration> limits = new LinkedHashMap<>();
        for (String flow : List.of("ship", "fetch", "collapse")) {
            String key = "s3logs.health." + flow + "-max-silence";
            if (props.raw(key).isPresent() && props.bool("s3logs." + flow + ".enabled", false)) {
                limits.put(flow, props.duration(key, "1h"));
            }
        }
        if (!limits.isEmpty()) {
            Clock clock = Clock.systemUTC();
            long started = clock.millis();
            health(context, "last-success",
                    () -> Silence.problem(limits, metrics.lastSuccesses(), started, clock.millis()));
        }
    }

    /** The application's metrics facade, or {@link Metrics#NONE} when none is registered. */
    public static Metrics metrics(CamelContext context) {
        Metrics m = context.getRegistry().lookupByNameAndType(FACADE, Metrics.class);
        return m == null ? Metrics.NONE : m;
    }

    /**
     * Adds the health check {@code s3logs/<id>}: DOWN with the message {@code problem} returns, UP on null. It is a
     * readiness check only: {@code /observe/health} and {@code /observe/health/ready} include it,
     * {@code /observe/health/live} (the process and its routes run) does not.
     */
    public static void health(CamelContext context, String id, java.util.function.Supplier<String> problem) {
        context.getRegistry().bind(healthBean(id), new ProblemHealthCheck(id, problem));
    }

    /** The registry name of the health check {@code s3logs/<id>} (to unbind it). */
    public static String healthBean(String id) {
        return "s3logsHealth-" + id;
    }
}
