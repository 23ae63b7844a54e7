package io.s3logroutes.ship;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.nio.file.Path;
import java.time.Clock;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step {@code shipFile}: streams the lines of the file the file consumer picked up into the pipeline, commits, and
 * only then moves the file to {@code s3logs.ship.done-dir} (or deletes it, {@code s3logs.ship.delete-shipped}):
 * the file consumer itself leaves files alone ({@code noop}), so a file whose shipping failed is picked up again. A crash
 * in the middle of a file costs at most the lines of one batch shipped twice: the file's position is saved each
 * time a batch of it becomes durable ({@code s3logs.ship.file-state-file}).
 */
public final class ShipFileProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ShipFileProcessor.class);

    private final ShipPipeline pipeline;
    private final EventFactory events;
    private final int maxLineBytes;
    private final String input;
    private final Clock clock;
    private final PositionStore store;
    private final Path doneDir;
    private Map<PositionStore.Identity, PositionStore.Position> positions = new LinkedHashMap<>();

    /**
     * @param doneDir where shipped files go, or {@code null} to delete them
     */
    public ShipFileProcessor(ShipPipeline pipeline, EventFactory events, int maxLineBytes, String input,
                             PositionStore store, Path doneDir, Clock clock) {
        this.store = store;
        this.doneDir = doneDir;
        this.pipeline = pipeline;
        this.events = events;
        this.maxLineBytes = maxLineBytes;
        this.input = input;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Path file = Path.of(exchange.getIn().getHeader(Exchange.FILE_PATH, String.class));
        long n = ship(file);
        LOG.info("Ship: {} lines of {} are in the spool", n, file);
    }

    /**
     * Ships a file from where an earlier, interrupted run of it left off (its position is saved each time a batch
     * of its lines becomes durable), then commits and forgets the position.
     *
     * @return the number of events shipped
     */
    public long ship(Path file) throws IOException, InterruptedException {
        String name = file.toAbsolutePath().toString();
        PositionStore.Identity id = PositionStore.identity(file);
        if (id == null) {
            throw new IOException("cannot ship " + name + ": it no longer exists");
        }
        long start = resumeOffset(id, file);
        long[] count = {0};
        // the lines of one read are received at the time of that read
        java.time.Instant[] received = {clock.instant()};
        String source = "file:" + id.key();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            LineSplitter splitter = new LineSplitter(maxLineBytes, start);
            LineSplitter.Sink sink = (line, part, continued, end) -> {
                try {
                    pipeline.accept(events.lineEvent(line, part, continued, input, "file", name, received[0]),
                            source, () -> progress(id, name, end));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while shipping " + name, e);
                }
                count[0]++;
            };
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long pos = start;
            int r;
            while ((r = ch.read(buf.clear(), pos)) > 0) {
                received[0] = clock.instant();
                splitter.feed(buf.array(), 0, r, sink);
                pos += r;
            }
            splitter.finish(sink);
        } catch (IOException e) {
            throw new IOException("cannot ship " + name + ": " + e.getMessage(), e);
        }
        pipeline.commit();
        dispose(file);
        forget(id);
        return count[0];
    }

    /** Moves a shipped file to the done directory (a new name if one is taken there), or deletes it. */
    private void dispose(Path file) throws IOException {
        if (doneDir == null) {
            Files.deleteIfExists(file);
            return;
        }
        Files.createDirectories(doneDir);
        String name = file.getFileName().toString();
        Path target = doneDir.resolve(name);
        for (int i = 1; Files.exists(target); i++) {
            target = doneDir.resolve(name + "." + i);
        }
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private synchronized long resumeOffset(PositionStore.Identity id, Path file) throws IOException {
        positions = store.load();
        PositionStore.Position p = positions.get(id);
        if (p == null) {
            return 0;
        }
        long size = Files.size(file);
        if (p.offset() > size) {
            LOG.warn("Ship: {} is shorter ({} bytes) than its saved position {}; shipping it from the start", file,
                    size, p.offset());
            return 0;
        }
        LOG.info("Ship: resuming {} at byte {} (its earlier lines are already shipped)", file, p.offset());
        return p.offset();
    }

    /** Runs when the lines up to {@code end} are durable in the spool. */
    private synchronized void progress(PositionStore.Identity id, String name, long end) {
        positions.put(id, new PositionStore.Position(name, id.dev(), id.ino(), end));
        try {
            store.save(positions.values());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the position of " + name + " in " + store.file(), e);
        }
    }

    private synchronized void forget(PositionStore.Identity id) throws IOException {
        if (positions.remove(id) != null) {
            store.save(positions.values());
        }
    }
}
