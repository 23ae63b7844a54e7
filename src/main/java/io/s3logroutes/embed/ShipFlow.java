package io.s3logroutes.embed;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.s3logroutes.S3LogsConfiguration;
import io.s3logroutes.config.ConfigException;
import io.s3logroutes.config.Props;
import io.s3logroutes.event.LogEvent;
import io.s3logroutes.observe.Metrics;
import io.s3logroutes.observe.ObserveBeans;
import io.s3logroutes.ship.EventFactory;
import io.s3logroutes.ship.InputCounts;
import io.s3logroutes.ship.KeyAssigner;
import io.s3logroutes.ship.LineSplitter;
import io.s3logroutes.ship.PermanentErrors;
import io.s3logroutes.ship.Records;
import io.s3logroutes.ship.ShipPipeline;
import io.s3logroutes.ship.ShipPut;
import io.s3logroutes.ship.ShipSettings;
import io.s3logroutes.ship.ShipUploadSteps;
import io.s3logroutes.ship.Spool;
import io.s3logroutes.ship.Uploader;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.StartupListener;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ship flow of one {@code s3logs-ship-sink} kamelet instance. Its {@link #process} turns each line of a message
 * body into an event of this instance's pipeline and returns once the events are fsync'd in this instance's spool.
 * Everything after the spool runs in the application's own routes: the instance adds the routes of the templates
 * {@code s3logs-ship-put}, {@code s3logs-ship-upload} and {@code s3logs-ship-flush} of routes/ship.camel.yaml (loaded
 * from the jar when the CamelContext does not have them), named after the kamelet's route ({@code <name>-put}...),
 * with its own spool, bucket and S3 client, and binds their step beans ({@link ShipUploadSteps}). So uploads are
 * retried without limit by the route's redelivery, keys are given in seal order, and 412 is handled as in the
 * application. On stop, the open batch is sealed; the upload routes stop after the kamelet's route, completing what
 * is queued, and whatever is left stays in the spool and goes first at the next start.
 */
public class ShipFlow extends FlowBean {

    private static final Logger LOG = LoggerFactory.getLogger(ShipFlow.class);
    /** Header set on the exchange: the events taken from its body. */
    public static final String EVENTS = "S3LogsShipEvents";
    /** Where the route templates come from when the CamelContext lacks them. */
    static final String TEMPLATES = "classpath:routes/ship.camel.yaml";
    /** Startup orders of the instances' routes: below Camel's automatic ones, so they stop after the kamelet's. */
    private static final AtomicInteger ORDERS = new AtomicInteger(600);

    private String name;
    private String input = "s3logs-ship-sink";

    private final Clock clock = Clock.systemUTC();
    private ShipSettings settings;
    private Spool spool;
    private ShipPipeline pipeline;
    private EventFactory events;
    private ProducerTemplate template;
    private final List<String> routes = new ArrayList<>();
    private final List<String> beans = new ArrayList<>();

    public ShipFlow() {
        // one attempt per PUT: the ship-put route's redelivery is the only retry layer (S3ClientFactory)
        super.setMaxAttempts("1");
    }

    /** The instance's name (the kamelet's route id): its routes, queues and step beans are named after it. */
    public void setName(String v) {
        if (v != null && !v.isBlank()) {
            name = v.trim();
        }
    }

    @Override
    public void setMaxAttempts(String v) {
        throw new ConfigException("parameter maxAttempts does not apply to ship: each upload is one attempt, which"
                + " the upload route retries without limit (retryInitialDelay, retryMaxDelay)");
    }

    // --- parameters (s3logs.ship.* keys of the application) ---

    public void setSpoolDir(String v) {
        set("spoolDir", "s3logs.ship.spool-dir", v);
    }

    public void setSpoolMaxBytes(String v) {
        set("spoolMaxBytes", "s3logs.ship.spool-max-bytes", v);
    }

    public void setServer(String v) {
        set("server", "s3logs.ship.server", v);
    }

    public void setKeyPattern(String v) {
        set("keyPattern", "s3logs.ship.key-pattern", v);
    }

    public void setFormat(String v) {
        set("format", "s3logs.ship.format", v);
    }

    public void setGzip(String v) {
        set("gzip", "s3logs.ship.gzip", v);
    }

    public void setGzipLevel(String v) {
        set("gzipLevel", "s3logs.ship.gzip-level", v);
    }

    public void setMaxEvents(String v) {
        set("maxEvents", "s3logs.ship.batch.max-events", v);
    }

    public void setMaxBytes(String v) {
        set("maxBytes", "s3logs.ship.batch.max-bytes", v);
    }

    public void setMaxAge(String v) {
        set("maxAge", "s3logs.ship.batch.max-age", v);
    }

    public void setFlushCheckInterval(String v) {
        set("flushCheckInterval", "s3logs.ship.flush-check-interval", v);
    }

    public void setSyncInterval(String v) {
        set("syncInterval", "s3logs.ship.sync-interval", v);
    }

    public void setConcurrency(String v) {
        set("concurrency", "s3logs.ship.concurrency", v);
    }

    public void setMaxUploadDelay(String v) {
        set("maxUploadDelay", "s3logs.ship.max-upload-delay", v);
    }

    public void setRetryInitialDelay(String v) {
        set("retryInitialDelay", "s3logs.ship.retry-initial-delay", v);
    }

    public void setRetryMaxDelay(String v) {
        set("retryMaxDelay", "s3logs.ship.retry-max-delay", v);
    }

    public void setStorageClass(String v) {
        set("storageClass", "s3logs.ship.storage-class", v);
    }

    public void setMaxLineBytes(String v) {
        set("maxLineBytes", "s3logs.ship.max-line-bytes", v);
    }

    /** {@code SourceModuleName} of the events and {@code {input}} in keys. */
    public void setInput(String v) {
        if (v != null && !v.isBlank()) {
            input = v.trim();
        }
    }

    @Override
    protected void startFlow() throws Exception {
        if (name == null) {
            throw new ConfigException("parameter name is required (the kamelet passes its route id)");
        }
        Props p = props();
        settings = ShipSettings.from(p);
        CamelContext ctx = getCamelContext();
        if (ctx == null) {
            throw new ConfigException("ship " + name + " needs a CamelContext for its upload routes");
        }
        spool = new Spool(settings.spoolDir(), settings.spoolMaxBytes());
        template = ctx.createProducerTemplate();
        String queue = ShipUploadSteps.uploadQueue(name);
        InputCounts inputs = new InputCounts();
        pipeline = new ShipPipeline(settings, spool, b -> template.sendBody(queue, b), clock, inputs);
        events = new EventFactory(settings.hostname());
        KeyAssigner keys = new KeyAssigner(settings.keyPattern(), Map.of("server", settings.server(),
                "hostname", settings.hostname(), "input", input));
        Metrics metrics = ObserveBeans.metrics(ctx);
        PermanentErrors permanent = new PermanentErrors(s3Settings().bucket(),
                p.duration("s3logs.ship.retry-max-delay", "1m"), metrics, clock);
        ShipPut put = new ShipPut(new Uploader(client(), s3Settings(), settings, keys, clock), spool,
                settings.storageClass(), metrics, inputs, permanent);
        ShipUploadSteps.beans(name, pipeline, null, put, metrics, client()).forEach((bean, object) -> {
            ctx.getRegistry().bind(bean, object);
            beans.add(bean);
        });
        // the readiness check <name>-upload: DOWN while a batch waits after a permanent S3 error
        ObserveBeans.health(ctx, name + "-upload", permanent::problem);
        beans.add(ObserveBeans.healthBean(name + "-upload"));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", name);
        params.put("enabled", "true");
        params.put("bucket", s3Settings().bucket());
        params.put("concurrency", settings.concurrency());
        params.put("uploadQueueSize", p.integer("s3logs.ship.upload-queue-size", 100_000, 1, Integer.MAX_VALUE));
        params.put("flushCheckInterval", p.duration("s3logs.ship.flush-check-interval", "1s").toMillis());
        params.put("retryInitialDelay", p.duration("s3logs.ship.retry-initial-delay", "1s").toMillis());
        params.put("retryMaxDelay", p.duration("s3logs.ship.retry-max-delay", "1m").toMillis());
        params.put("conditionalWrites", s3Settings().conditionalWrites());
        S3LogsConfiguration.putOptions(s3Settings()).forEach((k, v) -> params.put(k, v));
        if (ctx.isStarted()) {
            addRoutes(ctx, params);
        } else {
            // routes added while the context starts would not be started: add them once it has
            ctx.addStartupListener(new StartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
                    if (isStarted()) {
                        addRoutes(context, params);
                    }
                }
            });
        }
        LOG.info("Ship {}: s3://{} keys {} spool {}", name, s3Settings().bucket(), settings.keyPattern(),
                settings.spoolDir());
    }

    private synchronized void addRoutes(CamelContext ctx, Map<String, Object> params) throws Exception {
        ModelCamelContext model = (ModelCamelContext) ctx;
        loadTemplates(model);
        int order = ORDERS.getAndAdd(3);
        String[][] templates = {{ShipUploadSteps.PUT, "-put"}, {ShipUploadSteps.UPLOAD, "-upload"},
                {ShipUploadSteps.FLUSH, "-flush"}};
        for (int i = 0; i < templates.length; i++) {
            RouteTemplateDefinition t = model.getRouteTemplateDefinition(templates[i][0]);
            Integer given = t.getRoute().getStartupOrder();
            int startupOrder = order + i;
            synchronized (ShipFlow.class) {
                // each instance's routes need startup orders of their own; the template keeps its own
                TemplatedRouteBuilder b = TemplatedRouteBuilder.builder(ctx, templates[i][0])
                        .routeId(name + templates[i][1])
                        .handler(d -> d.getRoute().setStartupOrder(startupOrder));
                params.forEach(b::parameter);
                try {
                    routes.add(b.add());
                } finally {
                    t.getRoute().setStartupOrder(given);
                }
            }
        }
        var pending = spool.pending();
        if (!pending.isEmpty()) {
            LOG.info("Ship {}: {} batches ({}) left in the spool {} are uploaded first", name, pending.size(),
                    Props.formatSize(spool.bytes()), spool.dir());
        }
        String queue = ShipUploadSteps.uploadQueue(name);
        pending.forEach(b -> template.sendBody(queue, b));
    }

    /** The route templates of routes/ship.camel.yaml, from the jar, when the context does not hold them. */
    static void loadTemplates(ModelCamelContext model) throws Exception {
        synchronized (ShipFlow.class) {
            if (model.getRouteTemplateDefinition(ShipUploadSteps.PUT) != null) {
                return;
            }
            Resource r = ResourceHelper.resolveMandatoryResource(model, TEMPLATES);
            for (var builder : PluginHelper.getRoutesLoader(model).findRoutesBuilders(r)) {
                if (builder instanceof org.apache.camel.builder.RouteBuilder rb) {
                    rb.configureRoutes(model);
                    List<RouteTemplateDefinition> ship = new ArrayList<>();
                    for (RouteTemplateDefinition t : rb.getRouteTemplateCollection().getRouteTemplates()) {
                        if (t.getId().startsWith("s3logs-ship-")) {
                            ship.add(t);
                        }
                    }
                    model.addRouteTemplateDefinitions(ship);
                }
            }
            if (model.getRouteTemplateDefinition(ShipUploadSteps.PUT) == null) {
                throw new IllegalStateException(TEMPLATES + " holds no route template " + ShipUploadSteps.PUT);
            }
        }
    }

    /** The lines of the body become events; returns once they are durable in the spool. */
    @Override
    public void process(Exchange exchange) throws Exception {
        if (!isStarted()) {
            throw new IllegalStateException("ship " + name + " is not started");
        }
        String fileName = exchange.getIn().getHeader(Exchange.FILE_NAME, "", String.class);
        List<LogEvent> chunk = new ArrayList<>();
        try (InputStream in = exchange.getIn().getMandatoryBody(InputStream.class)) {
            LineSplitter.split(in, settings.maxLineBytes(), (line, part, continued, end) ->
                    chunk.add(events.lineEvent(line, part, continued, input, "kamelet", fileName, clock.instant())));
        }
        try {
            pipeline.accept(Records.of(chunk, settings.format(), settings.newline(), null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the spool " + spool.dir() + " is full", e);
        }
        pipeline.commit();
        exchange.getIn().setHeader(EVENTS, (long) chunk.size());
    }

    /** Objects stored in S3 by this instance since it started. */
    public long objectsStored() {
        return pipeline == null ? 0 : pipeline.inputs().out(input);
    }

    public String spoolDir() {
        return settings == null ? null : settings.spoolDir().toString();
    }

    @Override
    protected void stopFlow() throws Exception {
        if (pipeline == null) {
            return;
        }
        // sealed now, the open batch is still sent by the upload routes, which stop after the kamelet's route
        pipeline.close();
        CamelContext ctx = getCamelContext();
        if (!ctx.isStopping() && !ctx.isStopped()) {
            // the kamelet's route alone stops: its upload routes go with it (they complete what is queued)
            List<String> reversed = new ArrayList<>(routes);
            java.util.Collections.reverse(reversed);
            for (String id : reversed) {
                ctx.getRouteController().stopRoute(id);
                ctx.removeRoute(id);
            }
        }
        routes.clear();
        beans.forEach(b -> ctx.getRegistry().unbind(b));
        beans.clear();
        pipeline = null;
    }
}
