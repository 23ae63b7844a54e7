package io.s3logroutes.ship;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import io.s3logroutes.event.Durable;
import io.s3logroutes.event.EventChunk;
import io.s3logroutes.event.LogEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drop-directory input. {@link #read} streams a file's lines as chunks of events (one chunk per 64 KiB read)
 * from where an earlier, interrupted run of it left off: each event carries what to do once it is durable in the
 * spool, which is saving the file's position after its line ({@code s3logs.ship.file-state-file}), so that a crash in
 * the middle of a file costs at most the lines of one batch shipped twice. {@link #done} commits the pipeline and
 * only then moves the file to {@code s3logs.ship.done-dir} (or deletes it) and forgets its position; a file whose
 * shipping failed stays where it is and is picked up again.
 */
public final class ShipFileInput {

    private static final Logger LOG = LoggerFactory.getLogger(ShipFileInput.class);
    private static final int BLOCK = 64 * 1024;

    private final ShipPipeline pipeline;
    private final EventFactory events;
    private final int maxLineBytes;
    private final String input;
    private final Clock clock;
    private final PositionStore store;
    private final Path doneDir;
    private Map<PositionStore.Identity, PositionStore.Position> positions = new LinkedHashMap<>();
    private final Map<String, Long> counts = new java.util.concurrent.ConcurrentHashMap<>();

    /** @param doneDir where shipped files go, or {@code null} to delete them */
    public ShipFileInput(ShipPipeline pipeline, EventFactory events, int maxLineBytes, String input,
                         PositionStore store, Path doneDir, Clock clock) {
        this.pipeline = pipeline;
        this.events = events;
        this.maxLineBytes = maxLineBytes;
        this.input = input;
        this.store = store;
        this.doneDir = doneDir;
        this.clock = clock;
    }

    public String input() {
        return input;
    }

    /** The file's lines from its saved position on, one chunk per read; the file is closed at the end. */
    public Chunks read(Path file) throws IOException {
        String name = file.toAbsolutePath().toString();
        PositionStore.Identity id = PositionStore.identity(file);
        if (id == null) {
            throw new IOException("cannot ship " + name + ": it no longer exists");
        }
        long start = resumeOffset(id, file);
        counts.put(name, 0L);
        return new Chunks(file, name, id, start);
    }

    /** The chunks of one file. */
    public final class Chunks implements Iterator<EventChunk>, Closeable {
        private final String name;
        private final FileChannel channel;
        private final LineSplitter splitter;
        private final PositionStore.Identity id;
        private final ByteBuffer buf = ByteBuffer.allocate(BLOCK);
        private long pos;
        private EventChunk next;
        private boolean ended;

        Chunks(Path file, String name, PositionStore.Identity id, long start) throws IOException {
            this.name = name;
            this.id = id;
            try {
                this.channel = FileChannel.open(file, StandardOpenOption.READ);
            } catch (IOException e) {
                throw new IOException("cannot ship " + name + ": " + e.getMessage(), e);
            }
            this.splitter = new LineSplitter(maxLineBytes, start);
            this.pos = start;
        }

        @Override
        public boolean hasNext() {
            try {
                while (next == null && !ended) {
                    List<LogEvent> got = readBlock();
                    if (got != null && !got.isEmpty()) {
                        next = new EventChunk(got, input, name);
                    }
                }
                return next != null;
            } catch (IOException e) {
                close();
                throw new UncheckedIOException("cannot ship " + name + ": " + e.getMessage(), e);
            }
        }

        @Override
        public EventChunk next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            EventChunk c = next;
            next = null;
            counts.merge(name, (long) c.events().size(), Long::sum);
            return c;
        }

        /** The events of the next read, the last partial line at the end of the file, or null when ended. */
        private List<LogEvent> readBlock() throws IOException {
            List<LogEvent> out = new ArrayList<>();
            Instant received = clock.instant();
            String source = "file:" + id.key();
            LineSplitter.Sink sink = (line, part, continued, end) -> out.add(events.lineEvent(line, part, continued,
                    input, "file", name, received, new Durable(source, () -> progress(id, name, end))));
            int r = channel.read(buf.clear(), pos);
            if (r > 0) {
                splitter.feed(buf.array(), 0, r, sink);
                pos += r;
            } else {
                splitter.finish(sink);
                close();
            }
            return out;
        }

        @Override
        public void close() {
            ended = true;
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close " + name + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Once every chunk of the file went through the route: returns when all its events are durable in the spool,
     * then moves the file away and forgets its position.
     *
     * @return the number of events read from the file
     */
    public long done(Path file) throws IOException {
        String name = file.toAbsolutePath().toString();
        PositionStore.Identity id = PositionStore.identity(file);
        pipeline.commit();
        dispose(file);
        if (id != null) {
            forget(id);
        }
        Long n = counts.remove(name);
        LOG.info("Ship: {} lines of {} are in the spool", n == null ? 0 : n, file);
        return n == null ? 0 : n;
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
