package io.s3logroutes.embed;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.s3logroutes.config.Props;
import io.s3logroutes.ship.EventFactory;
import io.s3logroutes.ship.KeyAssigner;
import io.s3logroutes.ship.LineSplitter;
import io.s3logroutes.ship.ShipPipeline;
import io.s3logroutes.ship.ShipSettings;
import io.s3logroutes.ship.Spool;
import io.s3logroutes.ship.SpoolUpload;
import io.s3logroutes.ship.Uploader;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ship flow as one bean (the local bean of the {@code s3logs-ship-sink} kamelet): each line of a message body
 * becomes an event of this instance's pipeline, and the exchange completes once the events are fsync'd in this
 * instance's spool. The instance seals batches by age on a timer of its own and uploads them with threads of its own:
 * keys are given in seal order, {@code concurrency} uploads run in parallel, and a failed upload is retried without
 * limit with exponential backoff ({@link Retry}), as the application's {@code ship-put} route does. On stop, the
 * open batch is sealed and the uploads get {@code shutdownTimeout} to finish; whatever is left stays in the spool
 * and goes first at the next start.
 */
public class ShipFlow extends FlowBean {

    private static final Logger LOG = LoggerFactory.getLogger(ShipFlow.class);
    /** Header set on the exchange: the events taken from its body. */
    public static final String EVENTS = "S3LogsShipEvents";

    private String input = "s3logs-ship-sink";
    private Duration shutdownTimeout = Duration.ofSeconds(10);

    private final Clock clock = Clock.systemUTC();
    private ShipSettings settings;
    private Spool spool;
    private ShipPipeline pipeline;
    private EventFactory events;
    private SpoolUpload upload;
    private Retry retry;
    private final LinkedBlockingQueue<Spool.Batch> sealed = new LinkedBlockingQueue<>();
    /** batches sealed (or found in the spool) and not yet stored or given up */
    private final AtomicInteger unfinished = new AtomicInteger();
    private final AtomicLong stored = new AtomicLong();
    private ScheduledExecutorService flusher;
    private ExecutorService uploads;
    private Thread assigner;
    private Semaphore slots;
    private volatile boolean aborting;

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

    /** How long a stop waits for the uploads in progress and queued. */
    public void setShutdownTimeout(String v) {
        if (v != null && !v.isBlank()) {
            shutdownTimeout = Props.parseDuration("shutdownTimeout", v);
        }
    }

    @Override
    protected void startFlow() throws Exception {
        Props p = props();
        settings = ShipSettings.from(p);
        retry = new Retry(p.duration("s3logs.ship.retry-initial-delay", "1s"),
                p.duration("s3logs.ship.retry-max-delay", "1m"));
        Duration flushEvery = p.duration("s3logs.ship.flush-check-interval", "1s");
        spool = new Spool(settings.spoolDir(), settings.spoolMaxBytes());
        pipeline = new ShipPipeline(settings, spool, this::enqueue, clock);
        events = new EventFactory(settings.hostname());
        KeyAssigner keys = new KeyAssigner(settings.keyPattern(), Map.of("server", settings.server(),
                "hostname", settings.hostname(), "input", input));
        upload = new SpoolUpload(new Uploader(client(), s3Settings(), settings, keys, clock), spool);
        aborting = false;

        var pending = spool.pending();
        if (!pending.isEmpty()) {
            LOG.info("Ship {}: {} batches ({} bytes) left in the spool {} are uploaded first", input, pending.size(),
                    spool.bytes(), spool.dir());
        }
        pending.forEach(this::enqueue);

        slots = new Semaphore(settings.concurrency());
        uploads = Executors.newFixedThreadPool(settings.concurrency(), daemon("s3logs-ship-put-" + input));
        assigner = daemon("s3logs-ship-keys-" + input).newThread(this::assignKeys);
        assigner.start();
        flusher = Executors.newSingleThreadScheduledExecutor(daemon("s3logs-ship-flush-" + input));
        flusher.scheduleWithFixedDelay(this::tick, flushEvery.toMillis(), flushEvery.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Ship {}: s3://{} keys {} spool {}", input, s3Settings().bucket(), settings.keyPattern(),
                settings.spoolDir());
    }

    /** The lines of the body become events; returns once they are durable in the spool. */
    @Override
    public void process(Exchange exchange) throws Exception {
        if (!isStarted()) {
            throw new IllegalStateException("ship " + input + " is not started");
        }
        String fileName = exchange.getIn().getHeader(Exchange.FILE_NAME, "", String.class);
        AtomicLong n = new AtomicLong();
        try (InputStream in = exchange.getIn().getMandatoryBody(InputStream.class)) {
            LineSplitter.split(in, settings.maxLineBytes(), (line, part, continued, end) -> {
                try {
                    pipeline.accept(events.lineEvent(line, part, continued, input, "kamelet", fileName,
                            clock.instant()), input, null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while the spool " + spool.dir() + " is full", e);
                }
                n.incrementAndGet();
            });
        }
        pipeline.commit();
        exchange.getIn().setHeader(EVENTS, n.get());
    }

    /** Objects stored in S3 by this instance since it started. */
    public long objectsStored() {
        return stored.get();
    }

    /** Batches not yet stored (in the queue or being uploaded). */
    public int pendingBatches() {
        return unfinished.get();
    }

    public String spoolDir() {
        return settings == null ? null : settings.spoolDir().toString();
    }

    private void enqueue(Spool.Batch b) {
        unfinished.incrementAndGet();
        sealed.add(b);
    }

    private void tick() {
        try {
            pipeline.tick();
        } catch (IOException | RuntimeException e) {
            LOG.error("Ship {}: cannot seal the open batch in {}: {}", input, spool.dir(), e.toString(), e);
        }
    }

    /** One thread: keys in seal order, each given just before an upload slot is free. */
    private void assignKeys() {
        try {
            while (true) {
                Spool.Batch b = sealed.take();
                slots.acquire();
                KeyAssigner.Assigned key;
                try {
                    key = retry.run("key of spool batch " + b.path(), () -> upload.key(b), () -> !aborting);
                    uploads.execute(() -> put(b, key));
                } catch (Retry.StoppedException e) {
                    slots.release();
                    finished();
                    LOG.warn("Ship {}: batch {} stays in the spool for the next start: {}", input, b.path(),
                            e.getCause().toString());
                } catch (RuntimeException e) {
                    slots.release();
                    finished();
                    throw e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void put(Spool.Batch b, KeyAssigner.Assigned key) {
        AtomicReference<KeyAssigner.Assigned> previous = new AtomicReference<>(key);
        try {
            SpoolUpload.Stored s = retry.run("upload of spool batch " + b.path().getFileName() + " to s3://"
                    + s3Settings().bucket(), () -> upload.upload(b, previous.get(), previous::set), () -> !aborting);
            if (s != null) {
                pipeline.inputs().stored(b.path());
                stored.incrementAndGet();
                LOG.debug("Ship {}: stored {} ({} bytes)", input, s.key().key(), s.size());
            }
        } catch (Retry.StoppedException e) {
            LOG.warn("Ship {}: batch {} stays in the spool for the next start: {}", input, b.path(),
                    e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Ship {}: upload of {} interrupted; the batch stays in the spool for the next start", input,
                    b.path());
        } finally {
            slots.release();
            finished();
        }
    }

    private void finished() {
        unfinished.decrementAndGet();
        synchronized (unfinished) {
            unfinished.notifyAll();
        }
    }

    @Override
    protected void stopFlow() throws Exception {
        if (flusher == null) {
            return;
        }
        flusher.shutdownNow();
        flusher.awaitTermination(5, TimeUnit.SECONDS);
        try {
            pipeline.close();
        } finally {
            long deadline = System.nanoTime() + shutdownTimeout.toNanos();
            synchronized (unfinished) {
                while (unfinished.get() > 0 && System.nanoTime() < deadline) {
                    unfinished.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                }
            }
            if (unfinished.get() > 0) {
                LOG.warn("Ship {}: {} batches not stored within {}; they stay in the spool {} for the next start",
                        input, unfinished.get(), shutdownTimeout, spool.dir());
            }
            aborting = true;
            assigner.interrupt();
            uploads.shutdownNow();
            assigner.join(5000);
            uploads.awaitTermination(5, TimeUnit.SECONDS);
            sealed.clear();
            unfinished.set(0);
            flusher = null;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
