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

import io.s3logroutes.event.Durable;
import io.s3logroutes.event.LogEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline every ship input feeds: events go into the open batch in the spool; a batch is sealed when it reaches
 * {@code max-events}, {@code max-bytes} (as uploaded) or {@code max-age}, or when an input commits. A sealed batch is
 * handed to the uploader. An input learns that its events are durable through the callback it passes with them
 * (tail offsets), or by calling {@link #commit()}, which returns once everything accepted so far is fsync'd in the
 * spool (file inputs). When the spool is full, {@link #accept} blocks: backpressure on every input.
 *
 * <p>Group commit: a filled batch is closed but not yet sealed; the batches filled within {@code sync-interval} of the
 * last group are sealed together ({@link Spool#sealAll}: their fsyncs back to back, one directory fsync), then the
 * inputs' callbacks run (their input is committed), then the batches go to the uploader. So an input is still
 * committed only after its batch is durable, a batch is never uploaded before it is durable, and with one event per
 * batch (NXLog mode) a burst of events shares the directory fsync and the position save instead of paying them per
 * event. What is left of a group when the input pauses is sealed by {@link #commit()} or the next {@link #tick()}.
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
    /** Filled batches (closed {@code .open} files) waiting to be sealed with their group. */
    private final List<Path> filled = new ArrayList<>();
    private long lastGroupNanos = System.nanoTime() - Long.MAX_VALUE / 4;

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
        Durable durable = onDurable == null ? null : new Durable(source, onDurable);
        accept(Records.of(List.of(event.withDurable(durable)), settings.format(), null));
    }

    /**
     * Adds the serialized events of one chunk (the batch step), in order; each one's {@link Durable} runs once it is
     * fsync'd in the spool, then the chunk's trailing one. Blocks while the spool is full.
     */
    public void accept(Records records) throws IOException, InterruptedException {
        if (records.size() > 0) {
            // a chunk with no events (a dropped UDP datagram, events the event stage dropped) needs no room
            spool.awaitSpace();
        }
        synchronized (this) {
            for (int i = 0; i < records.size(); i++) {
                if (writer == null) {
                    open();
                }
                byte[] line = records.line(i);
                if (!writer.fits(line.length)) {
                    rollover();
                    open();
                }
                writer.write(line);
                eventsAccepted++;
                inputs.accepted(records.input(i));
                register(records.durable(i));
                if (writer.events() >= settings.maxEvents()) {
                    rollover();
                }
            }
            register(records.trailing());
        }
    }

    private void register(Durable d) {
        if (d != null) {
            callbacks.remove(d.source());
            callbacks.put(d.source(), d.action());
        }
    }

    /** Seals the open batch (if any) and returns when every accepted event is durable in the spool. */
    public synchronized void commit() throws IOException {
        if (writer != null) {
            seal();
        }
        durable();
    }

    /** Seals the open batch when it is older than {@code max-age}, and what waits for its group. Called by a timer. */
    public synchronized void tick() throws IOException {
        if (writer != null && Duration.between(openedAt, clock.instant()).compareTo(settings.maxAge()) >= 0) {
            commit();
        } else if (!filled.isEmpty() || !waiting.isEmpty() || (writer == null && !callbacks.isEmpty())) {
            durable();
        }
    }

    private void open() throws IOException {
        openPath = spool.open();
        openStream = spool.output(openPath);
        writer = new BatchWriter(new java.io.BufferedOutputStream(openStream, 64 * 1024),
                settings.gzip(), settings.gzipLevel(), settings.maxBytes());
        openedAt = clock.instant();
    }

    /** The latest callback of each source in the filled batches, run by {@link #durable()}. */
    private final Map<String, Runnable> waiting = new LinkedHashMap<>();

    /** Closes a full batch; seals its group once {@code sync-interval} has passed since the last group. */
    private void rollover() throws IOException {
        seal();
        if (System.nanoTime() - lastGroupNanos >= settings.syncInterval().toNanos()) {
            durable();
        }
    }

    /** Closes the open batch; it is sealed with its group by {@link #durable()}. */
    private void seal() throws IOException {
        if (writer.events() == 0) {
            openStream.close();
            spool.discard(openPath);
        } else {
            writer.finish();
            openStream.close();
            filled.add(openPath);
            inputs.sealed(openPath);
            moveCallbacks();
        }
        writer = null;
        openStream = null;
        openPath = null;
    }

    /** The open batch's callbacks wait for its group. */
    private void moveCallbacks() {
        for (Map.Entry<String, Runnable> c : callbacks.entrySet()) {
            waiting.remove(c.getKey());
            waiting.put(c.getKey(), c.getValue());
        }
        callbacks.clear();
    }

    /** Seals the filled batches as one group, runs the inputs' callbacks, then hands the batches to the uploader. */
    private void durable() throws IOException {
        if (writer == null) {
            // registered while no batch was open (events the event stage dropped): durable with what came before
            moveCallbacks();
        }
        List<Spool.Batch> group = List.of();
        if (!filled.isEmpty()) {
            group = spool.sealAll(filled, settings.format(), settings.gzip());
            for (int i = 0; i < group.size(); i++) {
                inputs.renamed(filled.get(i), group.get(i).path());
            }
            filled.clear();
            batchesSealed += group.size();
        }
        spool.sync();
        lastGroupNanos = System.nanoTime();
        for (Runnable r : waiting.values()) {
            r.run();
        }
        waiting.clear();
        for (Spool.Batch b : group) {
            sealed.accept(b);
        }
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
