package io.s3logroutes.fetch;

import java.time.Clock;

import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import io.s3logroutes.observe.Metrics;
import io.s3logroutes.observe.ObserveBeans;
import org.apache.camel.CamelContext;
import software.amazon.awssdk.services.s3.S3Client;

/** Binds the fetch flow's step {@code fetchS3} (used by {@code routes/fetch-s3.camel.yaml}). */
public final class FetchBeans {

    private FetchBeans() {
    }

    public static void register(CamelContext context, Props props, S3Client s3, S3Settings settings) {
        FetchSettings fetch = FetchSettings.from(props);
        Clock clock = Clock.systemUTC();
        Fetcher fetcher = new Fetcher(s3, settings.bucket(), fetch, clock);
        context.getRegistry().bind("fetchS3", new FetchProcessor(fetcher));

        Metrics metrics = ObserveBeans.metrics(context);
        metrics.countOf("s3logs.fetch.objects", "objects read into the output", fetcher::objectsRead);
        metrics.countOf("s3logs.fetch.bytes", "bytes of the objects read (as stored)", fetcher::bytesRead);
        metrics.countOf("s3logs.fetch.failed.objects", "objects recorded in s3logs.fetch.failed-file",
                fetcher::failedObjects);
        metrics.gauge("s3logs.fetch.lag.seconds", "now minus the time in the last key read (NaN before the first)",
                () -> fetcher.lastKeyTime().map(t -> (clock.millis() - t.toEpochMilli()) / 1000.0).orElse(Double.NaN));
        metrics.lastSuccess("fetch", () -> fetcher.lastSuccess() == null ? 0 : fetcher.lastSuccess().toEpochMilli());
    }
}
