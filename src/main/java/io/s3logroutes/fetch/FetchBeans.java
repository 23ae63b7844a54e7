package io.s3logroutes.fetch;

import java.time.Clock;

import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import io.s3logroutes.observe.Metrics;
import io.s3logroutes.observe.ObserveBeans;
import org.apache.camel.CamelContext;
import software.amazon.awssdk.services.s3.S3Client;

/** Binds the fetch flow's steps ({@link FetchSteps}, used by {@code routes/fetch-s3.camel.yaml}) and its metrics. */
public final class FetchBeans {

    private FetchBeans() {
    }

    public static void register(CamelContext context, Props props, S3Client s3, S3Settings settings) {
        FetchSettings fetch = FetchSettings.from(props);
        Clock clock = Clock.systemUTC();
        FetchService service = new FetchService(s3, settings.bucket(), fetch, clock);
        FetchSteps.bind(context.getRegistry(), service);

        FetchStats stats = service.stats();
        Metrics metrics = ObserveBeans.metrics(context);
        metrics.countOf("s3logs.fetch.objects", "objects read into the output", stats::objectsRead);
        metrics.countOf("s3logs.fetch.bytes", "bytes of the objects read (as stored)", stats::bytesRead);
        metrics.countOf("s3logs.fetch.failed.objects", "objects recorded in s3logs.fetch.failed-file",
                stats::failedObjects);
        metrics.gauge("s3logs.fetch.lag.seconds", "now minus the time in the last key read (NaN before the first)",
                () -> service.journal().lastKeyTime().map(t -> (clock.millis() - t.toEpochMilli()) / 1000.0)
                        .orElse(Double.NaN));
        metrics.lastSuccess("fetch", () -> stats.lastSuccess() == null ? 0 : stats.lastSuccess().toEpochMilli());
    }
}
