package io.s3logroutes.ship;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.s3logroutes.event.LogEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline every ship input feeds: events go into the open batch in the spool; a batch is sealed when it reaches
 * {@code max-events}, {@code max-bytes} (as uploaded) or {@code max-age}, or when an input commits. A sealed batch is
 * handed to the uploader. An input learns that its events are durable through the callback it passes with them
 * (tail offsets), or by calling {@link #commit()}, which returns once everything accepted so far is fsync'd in the
 * spool (file inputs). When the spool is full, {@link #accept} blocks: backpressure on every input.
 */
public final class ShipPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(ShipPipeline.class);

    private final ShipSettings settings;
    private final Spool spool;
    private final Consumer<Spool.Batch> sealed;
    private final Clock clock;
    private final InputCounts inputs;

    private Path openPath;
    private OutputStream openStream;
    private BatchWriter writer;
    private Instant openedAt;
    /** The latest durability callback of each source in the open batch. */
    private final Map<String, Runnable> callbacks = new LinkedHashMap<>();
    private long eventsAccepted;
    private long batchesSealed;

    public ShipPipeline(ShipSettings settings, Spool spool, Consumer<Spool.Batch> sealed, Clock clock) {
        this(settings, spool, sealed, clock, new InputCounts());
    }

    /** @param inputs counts the events of each input (field {@code SourceModuleName}) in, and keeps them per batch */
    public ShipPipeline(ShipSettings settings, Spool spool, Consumer<Spool.Batch> sealed, Clock clock,
                        InputCounts inputs) {
        this.settings = settings;
        this.spool = spool;
        this.sealed = sealed;
        this.clock = clock;
        this.inputs = inputs;
    }

    /**
     * Adds one event. {@code onDurable} (may be null) runs once the event is fsync'd in the spool; for each
     * {@code source} only its latest callback is kept, so callbacks carry positions, not deltas.
     */
    public void accept(LogEvent event, String source, Runnable onDurable) throws IOException, InterruptedException {
        spool.awaitSpace();
        synchronized (this) {
            if (writer == null) {
                open();
            }
            byte[] encoded = writer.encode(event);
            if (!writer.fits(encoded.length)) {
                rollover();
                open();
            }
            writer.write(encoded);
            eventsAccepted++;
            inputs.accepted((String) event.fields().get(LogEvent.SOURCE_MODULE_NAME));
            if (onDurable != null) {
                callbacks.remove(source);
                callbacks.put(source, onDurable);
            }
            if (writer.events() >= settings.maxEvents()) {
                rollover();
            }
        }
    }

    /** Seals the open batch (if any) and returns when every accepted event is durable in the spool. */
    public synchronized void commit() throws IOException {
        if (writer != null) {
            seal();
        }
        durable();
    }

    /** Seals the open batch when it is older than {@code max-age}. Called by a timer. */
    public synchronized void tick() throws IOException {
        if (writer != null && Duration.between(openedAt, clock.instant()).compareTo(settings.maxAge()) >= 0) {
            commit();
        }
    }

    private void open() throws IOException {
        openPath = spool.open();
        openStream = spool.output(openPath);
        writer = new BatchWriter(new java.io.BufferedOutputStream(openStream, 64 * 1024), settings.format(),
                settings.gzip(), settings.gzipLevel(), settings.maxBytes());
        openedAt = clock.instant();
    }

    /** Callbacks of sealed batches, run by {@link #durable()}. */
    private final List<Runnable> waiting = new ArrayList<>();

    /** Seals a full batch; when an input waits on it (tail offsets), makes it durable at once. */
    private void rollover() throws IOException {
        seal();
        if (!waiting.isEmpty()) {
            durable();
        }
    }

    private void seal() throws IOException {
        if (writer.events() == 0) {
            openStream.close();
            spool.discard(openPath);
        } else {
            writer.finish();
            openStream.close();
            Spool.Batch b = spool.seal(openPath, settings.format(), settings.gzip());
            batchesSealed++;
            inputs.sealed(b.path());
            waiting.addAll(callbacks.values());
            callbacks.clear();
            sealed.accept(b);
        }
        writer = null;
        openStream = null;
        openPath = null;
    }

    /** fsyncs the spool directory and runs the callbacks of the sealed batches. */
    private void durable() throws IOException {
        spool.sync();
        for (Runnable r : waiting) {
            r.run();
        }
        waiting.clear();
    }

    public synchronized long eventsAccepted() {
        return eventsAccepted;
    }

    public synchronized long batchesSealed() {
        return batchesSealed;
    }

    public InputCounts inputs() {
        return inputs;
    }

    public Spool spool() {
        return spool;
    }

    /** Seals what is open and makes it durable (shutdown). */
    public synchronized void close() throws IOException {
        commit();
        LOG.info("Ship pipeline closed: {} events accepted, {} batches sealed, {} in the spool", eventsAccepted,
                batchesSealed, io.s3logroutes.config.Props.formatSize(spool.bytes()));
    }
}
