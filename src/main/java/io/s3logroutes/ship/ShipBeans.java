package io.s3logroutes.ship;

import java.time.Clock;
import java.util.Map;

import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import io.s3logroutes.observe.Metrics;
import io.s3logroutes.observe.ObserveBeans;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the ship pipeline and registers the steps of {@code routes/ship.camel.yaml}: the inputs {@code shipFile}
 * and {@code shipTail}, {@code shipSerialize}, {@code shipBatch}, and
 * the steps of the flush, key and upload routes ({@link ShipUploadSteps}); the pipeline is also bound as {@code shipPipeline} (tests and tools look at it).
 */
public final class ShipBeans {

    private static final Logger LOG = LoggerFactory.getLogger(ShipBeans.class);
    /** The internal queue between the pipeline and the upload route. */
    public static final String UPLOAD_QUEUE = ShipUploadSteps.uploadQueue(ShipBeans.NAME);
    /** The name of the application's instance of the ship route templates. */
    public static final String NAME = "ship";
    /** The inputs of the pipeline, as their events name them ({@code SourceModuleName}): the {@code input} tag. */
    static final java.util.List<String> INPUTS = java.util.List.of("ship-file", "ship-tail", "ship-syslog-udp",
            "ship-syslog-tcp");

    private ShipBeans() {
    }

    /** @return the pipeline, for the syslog inputs */
    public static ShipPipeline register(CamelContext context, Props props, S3Client s3, S3Settings s3Settings)
            throws Exception {
        ShipSettings s = ShipSettings.from(props);
        if (props.bool("s3logs.ship.file-enabled", false) && !props.bool("s3logs.ship.enabled", false)) {
            throw new io.s3logroutes.config.ConfigException("s3logs.ship.file-enabled=true requires"
                    + " s3logs.ship.enabled=true: the drop directory feeds the ship pipeline, whose routes it enables");
        }
        Clock clock = Clock.systemUTC();
        Spool spool = new Spool(s.spoolDir(), s.spoolMaxBytes());
        ProducerTemplate template = context.createProducerTemplate();
        InputCounts inputs = new InputCounts();
        ShipPipeline pipeline = new ShipPipeline(s, spool, b -> template.sendBody(UPLOAD_QUEUE, b), clock, inputs);
        EventFactory events = new EventFactory(s.hostname());
        KeyAssigner keys = new KeyAssigner(s.keyPattern(), Map.of("server", s.server(), "hostname", s.hostname(),
                "input", "ship"));
        Uploader uploader = new Uploader(s3, s3Settings, s, keys, clock);
        Tailer tailer = new Tailer(s.tail(), events, "ship-tail", s.maxLineBytes(), s.readFromLast(),
                s.savePos() ? s.tailStateFile() : null, clock);

        context.getRegistry().bind("shipSettings", s);
        context.getRegistry().bind("shipPipeline", pipeline);
        context.getRegistry().bind("shipFile", new ShipFileStep(new ShipFileInput(pipeline, events, s.maxLineBytes(),
                "ship-file", new PositionStore(s.fileStateFile(), false), s.deleteShipped() ? null : s.doneDir(),
                clock)));
        context.getRegistry().bind("shipTail", new ShipTailStep(tailer));
        context.getRegistry().bind("shipSerialize", new ShipSerializeProcessor(s.format(), s.newline()));
        context.getRegistry().bind("shipBatch", new ShipBatchProcessor(pipeline));
        Metrics metrics = ObserveBeans.metrics(context);
        PermanentErrors permanent = new PermanentErrors(s3Settings.bucket(),
                props.duration("s3logs.ship.retry-max-delay", "1m"), metrics, clock);
        ShipPut put = new ShipPut(uploader, spool, s.storageClass(), metrics, inputs, permanent);
        // the steps of the ship-flush, ship-upload and ship-put routes (shipS3Client is bound with the S3 clients)
        ShipUploadSteps.beans(NAME, pipeline, tailer, put, metrics, null)
                .forEach((name, bean) -> context.getRegistry().bind(name, bean));
        for (String input : INPUTS) {
            metrics.countOf("s3logs.ship.events.in", "events read by the input", () -> inputs.in(input),
                    "input", input);
            metrics.countOf("s3logs.ship.events.out", "events of the input stored in S3", () -> inputs.out(input),
                    "input", input);
        }
        metrics.gauge("s3logs.ship.spool.bytes", "bytes of batches in the spool, not yet stored in S3", spool::bytes);
        metrics.gauge("s3logs.ship.spool.max.bytes", "s3logs.ship.spool-max-bytes", spool::maxBytes);
        metrics.gauge("s3logs.ship.upload.permanent.batches",
                "batches in the spool whose last upload attempt failed with a permanent S3 error", permanent::held);
        if (props.bool("s3logs.ship.enabled", false)) {
            ObserveBeans.health(context, "ship-spool", () -> spool.isFull()
                    ? "ship spool " + spool.dir() + " is full (" + spool.bytes() + " of " + spool.maxBytes()
                    + " bytes): inputs are paused until S3 takes the batches" : null);
            ObserveBeans.health(context, "ship-upload", permanent::problem);
        }

        // batches left in the spool by an earlier run go first, once the upload route runs
        context.addStartupListener((ctx, alreadyStarted) -> {
            var pending = spool.pending();
            if (!pending.isEmpty()) {
                LOG.info("Ship: {} batches ({} bytes) left in the spool {} are uploaded first", pending.size(),
                        spool.bytes(), spool.dir());
            }
            pending.forEach(b -> template.sendBody(UPLOAD_QUEUE, b));
        });
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                pipeline.close();
                tailer.close();
            }
        }, true, true);
        return pipeline;
    }
}
