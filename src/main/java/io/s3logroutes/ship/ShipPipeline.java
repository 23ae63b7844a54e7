package io.s3logroutes.ship;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
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
 *
 * <p>Lanes: events with a key pattern of their own ({@link Records#keyPattern}, the event stage's
 * {@code S3LogsKeyPattern} header) go into an open batch of that pattern, one open batch per pattern; the pattern is
 * kept in the batch's spool name ({@link Spool#open(String)}). An input's callback carries a position that covers
 * every event it sent before, in whatever lane, so it may run only once all of them are durable. The rule that keeps
 * that simple: <b>the lanes are sealed together</b>. Whenever one open batch is closed (full by events or bytes,
 * older than {@code max-age}, an input's commit), every other open batch is closed with it and joins the same group,
 * so a callback always waits for a group that holds every event before it. The price: a lane that receives few events
 * gets smaller batches, cut whenever the busiest lane fills.
 */
public final class ShipPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(ShipPipeline.class);

    private final ShipSettings settings;
    private final Spool spool;
    private final Consumer<Spool.Batch> sealed;
    private final Clock clock;
    private final InputCounts inputs;
    /** The configured key pattern: events with it go into the default lane. */
    private final String defaultPattern;

    /** The write buffer of an open batch. */
    static final int BUFFER_BYTES = 64 * 1024;

    /** An open batch: of one key pattern ({@code null}: the configured one). */
    private static final class Lane {
        final Path path;
        final OutputStream stream;
        final Buffered buffered;
        final BatchWriter writer;
        final Instant openedAt;

        Lane(Path path, OutputStream stream, Buffered buffered, BatchWriter writer, Instant openedAt) {
            this.path = path;
            this.stream = stream;
            this.buffered = buffered;
            this.writer = writer;
            this.openedAt = openedAt;
        }
    }

    /**
     * A {@link BufferedOutputStream} over a buffer the pipeline lends it: batches of one event (NXLog mode) would
     * otherwise each allocate {@value #BUFFER_BYTES} bytes, a third of all that mode allocates.
     */
    static final class Buffered extends BufferedOutputStream {
        Buffered(OutputStream out, byte[] buffer) {
            super(out, 1);
            this.buf = buffer;
        }

        byte[] buffer() {
            return buf;
        }
    }

    /** Buffers of closed batches, for the next ones (each open lane has one, and with gzip a second for its input). */
    private final ArrayDeque<byte[]> buffers = new ArrayDeque<>();

    /** The open batch of each key pattern, {@code null} the configured one; empty when none is open. */
    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    /** The latest durability callback of each source in the open batches. */
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
        this.defaultPattern = settings.keyPattern().toString();
    }

    /**
     * Adds one event. {@code onDurable} (may be null) runs once the event is fsync'd in the spool; for each
     * {@code source} only its latest callback is kept, so callbacks carry positions, not deltas.
     */
    public void accept(LogEvent event, String source, Runnable onDurable) throws IOException, InterruptedException {
        Durable durable = onDurable == null ? null : new Durable(source, onDurable);
        accept(Records.of(List.of(event.withDurable(durable)), settings.format(), settings.newline(), null));
    }

    /**
     * Adds the serialized events of one chunk (the batch step), in order, each to the open batch of its key pattern;
     * each one's {@link Durable} runs once it (and every event before it) is fsync'd in the spool, then the chunk's
     * trailing one. Blocks while the spool is full.
     */
    public void accept(Records records) throws IOException, InterruptedException {
        if (records.size() > 0) {
            // a chunk with no events (a dropped UDP datagram, events the event stage dropped) needs no room
            spool.awaitSpace();
        }
        synchronized (this) {
            for (int i = 0; i < records.size(); i++) {
                String pattern = lane(records.keyPattern(i));
                Lane lane = lanes.get(pattern);
                if (lane == null) {
                    lane = open(pattern);
                }
                if (!lane.writer.fits(records.length(i))) {
                    rollover();
                    lane = open(pattern);
                }
                records.writeTo(i, lane.writer);
                eventsAccepted++;
                inputs.accepted(lane.path, records.input(i));
                register(records.durable(i));
                if (lane.writer.events() >= settings.maxEvents()) {
                    rollover();
                }
            }
            register(records.trailing());
        }
    }

    /** The lane of a key pattern: {@code null} for the configured one, however it is given. */
    private String lane(String keyPattern) {
        return keyPattern == null || keyPattern.equals(defaultPattern) ? null : keyPattern;
    }

    private void register(Durable d) {
        if (d != null) {
            callbacks.remove(d.source());
            callbacks.put(d.source(), d.action());
        }
    }

    /** Seals the open batches (if any) and returns when every accepted event is durable in the spool. */
    public synchronized void commit() throws IOException {
        closeLanes();
        durable();
    }

    /**
     * Seals the open batches when one of them is older than {@code max-age}, and what waits for its group. Called by a
     * timer.
     */
    public synchronized void tick() throws IOException {
        Instant now = clock.instant();
        boolean old = false;
        for (Lane l : lanes.values()) {
            old |= Duration.between(l.openedAt, now).compareTo(settings.maxAge()) >= 0;
        }
        if (old) {
            commit();
        } else if (!filled.isEmpty() || !waiting.isEmpty() || (lanes.isEmpty() && !callbacks.isEmpty())) {
            durable();
        }
    }

    private Lane open(String pattern) throws IOException {
        Path path = spool.open(pattern);
        OutputStream stream = spool.output(path);
        byte[] buffer = buffers.poll();
        Buffered buffered = new Buffered(stream, buffer != null ? buffer : new byte[BUFFER_BYTES]);
        BatchWriter writer = new BatchWriter(buffered, settings.gzip(), settings.gzipLevel(), settings.maxBytes(),
                settings.gzip() ? buffers.poll() : null);
        Lane lane = new Lane(path, stream, buffered, writer, clock.instant());
        lanes.put(pattern, lane);
        return lane;
    }

    /** The latest callback of each source in the filled batches, run by {@link #durable()}. */
    private final Map<String, Runnable> waiting = new LinkedHashMap<>();

    /**
     * Closes the full batch and the other lanes; seals the group once {@code sync-interval} has passed since the last.
     */
    private void rollover() throws IOException {
        closeLanes();
        if (System.nanoTime() - lastGroupNanos >= settings.syncInterval().toNanos()) {
            durable();
        }
    }

    /**
     * Closes every open batch (the lanes are sealed together); they are sealed with their group by {@link #durable()}.
     */
    private void closeLanes() throws IOException {
        if (lanes.isEmpty()) {
            return;
        }
        boolean any = false;
        for (Lane l : lanes.values()) {
            if (l.writer.events() == 0) {
                l.stream.close();
                spool.discard(l.path);
            } else {
                l.writer.finish();
                l.stream.close();
                filled.add(l.path);
                any = true;
            }
            // finish() flushed it; what remains in it is stale
            buffers.push(l.buffered.buffer());
            if (l.writer.gzipInput() != null) {
                buffers.push(l.writer.gzipInput());
            }
        }
        lanes.clear();
        if (any) {
            moveCallbacks();
        }
    }

    /** The open batches' callbacks wait for their group. */
    private void moveCallbacks() {
        for (Map.Entry<String, Runnable> c : callbacks.entrySet()) {
            waiting.remove(c.getKey());
            waiting.put(c.getKey(), c.getValue());
        }
        callbacks.clear();
    }

    /** Seals the filled batches as one group, runs the inputs' callbacks, then hands the batches to the uploader. */
    private void durable() throws IOException {
        if (lanes.isEmpty()) {
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
