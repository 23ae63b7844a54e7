package io.s3logroutes.fetch;

import java.time.Clock;

import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import org.apache.camel.CamelContext;
import software.amazon.awssdk.services.s3.S3Client;

/** Binds the fetch flow's step {@code fetchS3} (used by {@code routes/fetch-s3.camel.yaml}). */
public final class FetchBeans {

    private FetchBeans() {
    }

    public static void register(CamelContext context, Props props, S3Client s3, S3Settings settings) {
        FetchSettings fetch = FetchSettings.from(props);
        context.getRegistry().bind("fetchS3",
                new FetchProcessor(new Fetcher(s3, settings.bucket(), fetch, Clock.systemUTC())));
    }
}
