package io.s3logroutes.collapse;

import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import org.apache.camel.CamelContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Startup check of the collapse flow: the {@code s3logs.collapse.*} settings, which the shipped templated route
 * {@code collapse-s3} and the backlog command use, are validated when the application starts (an error names the
 * key), whether or not the schedule is enabled; and the one {@link CollapseMetrics} that every templated route
 * counts its runs in. The steps themselves are the local bean of each templated route ({@link CollapseInstance}).
 */
public final class CollapseBeans {

    private CollapseBeans() {
    }

    public static void register(CamelContext context, Props props, S3Client s3, S3Settings settings) {
        CollapseSettings.from(props);
        context.getRegistry().bind("collapseMetrics", CollapseMetrics.class,
                new CollapseMetrics(io.s3logroutes.observe.ObserveBeans.metrics(context)));
    }
}
