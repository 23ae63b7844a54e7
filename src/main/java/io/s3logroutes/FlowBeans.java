package io.s3logroutes;

import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import org.apache.camel.CamelContext;
import software.amazon.awssdk.services.s3.S3Client;

/** Registers the named processors and services that the flows' YAML routes refer to, one call per flow. */
final class FlowBeans {

    private FlowBeans() {
    }

    static void register(CamelContext context, Props props, S3Client s3, S3Settings settings) throws Exception {
        io.s3logroutes.observe.ObserveBeans.register(context, props, s3, settings);
        context.getRegistry().bind(io.s3logroutes.event.EventChunkStrategy.BEAN,
                new io.s3logroutes.event.EventChunkStrategy(io.s3logroutes.observe.ObserveBeans.metrics(context)));
        io.s3logroutes.syslog.SyslogBeans.register(context, props,
                io.s3logroutes.ship.ShipBeans.register(context, props, s3, settings));
        if (settings.embedded()) {
            io.s3logroutes.quickstart.QuickstartSeeder.seed(
                    java.nio.file.Path.of(props.string("s3logs.ship.input-dir", "data/in")),
                    java.nio.file.Path.of(props.string("s3logs.quickstart.marker-file", "data/quickstart-seeded")));
        }
        context.getRegistry().bind("quickstartReport",
                new io.s3logroutes.quickstart.QuickstartReportProcessor(s3, settings.bucket()));
        io.s3logroutes.fetch.FetchBeans.register(context, props, s3, settings);
        io.s3logroutes.collapse.CollapseBeans.register(context, props, s3, settings);
    }
}
