package io.s3logroutes.ship;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;

import io.s3logroutes.event.Durable;
import io.s3logroutes.event.EventChunk;
import io.s3logroutes.event.LogEvent;
import io.s3logroutes.ship.PositionStore.Identity;
import io.s3logroutes.ship.PositionStore.Position;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows growing files ({@code s3logs.ship.tail}: paths or globs). A file is known by device + inode, not by path:
 * after rename-and-create rotation the old file is read to its end through the open channel before it is let go,
 * and the new file is read from its start; a file that shrinks (copytruncate) is read again from offset 0. The
 * offset of each file is saved (atomically, fsync'd) only up to the last line that the pipeline reported durable.
 * A partial last line waits for its line end, except in a rotated file, where it ships once the file stops growing.
 */
public final class Tailer {

    private static final Logger LOG = LoggerFactory.getLogger(Tailer.class);
    private static final int CHUNK = 64 * 1024;
    private static final long BUDGET_PER_POLL = 16L << 20;
    private static final int HEAD_BYTES = 64;

    private final class Tracked {
        final Identity id;
        Path path;
        FileChannel channel;
        long readPos;
        LineSplitter splitter;
        boolean rotated;
        long lastSize = -1;
        /** Incremented when the file is truncated, so that callbacks of lines read before are ignored. */
        int generation;
        /** The first bytes of the file: when they change, the file was truncated and rewritten. */
        byte[] head;

        Tracked(Identity id, Path path, long start) throws IOException {
            this.id = id;
            this.path = path;
            this.channel = FileChannel.open(path, StandardOpenOption.READ);
            this.readPos = start;
            this.splitter = new LineSplitter(maxLineBytes, start);
        }
    }

    private final List<String> patterns;
    private final EventFactory events;
    private final String input;
    private final int maxLineBytes;
    private final boolean readFromLast;
    private final PositionStore store;
    private final Clock clock;

    private final Map<Identity, Tracked> tracked = new LinkedHashMap<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    /** A poll was started and has not ended. */
    private boolean polling;
    /** Durable offsets, updated by the pipeline's callbacks. */
    private final Map<Identity, Position> committed = new ConcurrentHashMap<>();
    private volatile boolean dirty;
    private boolean started;

    public Tailer(List<String> patterns, EventFactory events, String input, int maxLineBytes,
                  boolean readFromLast, Path stateFile, Clock clock) {
        this.patterns = List.copyOf(patterns);
        this.events = events;
        this.input = input;
        this.maxLineBytes = maxLineBytes;
        this.readFromLast = readFromLast;
        this.store = stateFile == null ? null : new PositionStore(stateFile, true);
        this.clock = clock;
    }

    /**
     * Starts a poll: the lines appended since the last one, as chunks of events (one per 64 KiB read, at most 16 MiB
     * of a file per poll). Once the chunks are all taken, rotated files read to their end are let go and the durable
     * offsets are saved. A poll that was left before its end (its chunks failed) makes the next poll read every file
     * again from its durable offset: lines may ship twice, none is skipped.
     */
    public synchronized Poll poll() throws IOException {
        Map<Path, Identity> current = scan();
        if (!started) {
            resume(current);
            started = true;
        } else if (polling) {
            rewind();
        }
        // rotation: a tracked file whose path now holds another file, or nothing
        for (Tracked t : tracked.values()) {
            if (!t.rotated && !t.id.equals(current.get(t.path))) {
                t.rotated = true;
                LOG.info("Tail: {} was rotated; reading the old file to its end", t.path);
            }
        }
        for (Map.Entry<Path, Identity> e : current.entrySet()) {
            if (!tracked.containsKey(e.getValue())) {
                track(e.getValue(), e.getKey(), 0);
            }
        }
        polling = true;
        return new Poll(new ArrayList<>(tracked.values()));
    }

    /** The chunks of one poll, file after file. */
    public final class Poll implements Iterator<EventChunk> {
        private final java.util.ArrayDeque<Tracked> files;
        private final List<Identity> done = new ArrayList<>();
        private Tracked file;
        private long budget;
        private EventChunk next;
        private boolean finished;

        Poll(List<Tracked> files) {
            this.files = new java.util.ArrayDeque<>(files);
        }

        @Override
        public boolean hasNext() {
            synchronized (Tailer.this) {
                try {
                    while (next == null && !finished) {
                        advance();
                    }
                    return next != null;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot tail " + (file == null ? "" : file.path) + ": "
                            + e.getMessage(), e);
                }
            }
        }

        @Override
        public EventChunk next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            EventChunk c = next;
            next = null;
            return c;
        }

        /** One read of the current file, the next file, or the end of the poll. */
        private void advance() throws IOException {
            if (file == null) {
                file = files.poll();
                if (file == null) {
                    finish();
                    return;
                }
                if (!tracked.containsKey(file.id)) {
                    file = null;
                    return;
                }
                checkTruncated(file);
                budget = BUDGET_PER_POLL;
            }
            Tracked t = file;
            List<LogEvent> out = new ArrayList<>();
            LineSplitter.Sink sink = sink(t, out);
            int r = budget > 0 ? t.channel.read(buffer.clear(), t.readPos) : 0;
            if (r > 0) {
                t.splitter.feed(buffer.array(), 0, r, sink);
                t.readPos += r;
                budget -= r;
            } else {
                if (t.rotated && atEnd(t)) {
                    t.splitter.finish(sink);
                    done.add(t.id);
                }
                file = null;
            }
            if (!out.isEmpty()) {
                next = new EventChunk(out, input, t.path.toAbsolutePath().toString());
            }
        }

        /** Lets go of the rotated files read to their end whose lines are all durable, and saves the offsets. */
        private void finish() throws IOException {
            finished = true;
            for (Identity id : done) {
                Tracked t = tracked.get(id);
                Position p = committed.get(id);
                if (t != null && p != null && p.offset() >= t.readPos) {
                    t.channel.close();
                    tracked.remove(id);
                    committed.remove(id);
                    dirty = true;
                }
            }
            polling = false;
            save();
        }
    }

    /** The last poll did not end: every file is read again from its durable offset. */
    private void rewind() throws IOException {
        for (Tracked t : tracked.values()) {
            Position p = committed.get(t.id);
            long from = p == null ? 0 : p.offset();
            LOG.warn("Tail: the last poll of {} failed; reading it again from its durable offset {}", t.path, from);
            t.readPos = from;
            t.generation++;
            t.splitter = new LineSplitter(maxLineBytes, from);
        }
        polling = false;
    }

    /** Positions as last saved (for tests and metrics). */
    public Map<String, Position> positions() {
        Map<String, Position> m = new LinkedHashMap<>();
        committed.values().forEach(p -> m.put(p.path(), p));
        return m;
    }

    private Map<Path, Identity> scan() throws IOException {
        Map<Path, Identity> found = new LinkedHashMap<>();
        for (String pattern : patterns) {
            Path p = Path.of(pattern);
            if (!containsGlob(pattern)) {
                Identity id = identity(p);
                if (id != null) {
                    found.put(p, id);
                }
                continue;
            }
            Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
            if (!Files.isDirectory(dir)) {
                continue;
            }
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + p.getFileName());
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path f : ds) {
                    if (m.matches(f.getFileName()) && Files.isRegularFile(f)) {
                        Identity id = identity(f);
                        if (id != null) {
                            found.put(f, id);
                        }
                    }
                }
            }
        }
        return found;
    }

    private static boolean containsGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    static Identity identity(Path p) throws IOException {
        return PositionStore.identity(p);
    }

    /** First poll: saved positions, files rotated while we were down, and the read-from-last rule. */
    private void resume(Map<Path, Identity> current) throws IOException {
        Map<Identity, Position> saved = load();
        for (Map.Entry<Path, Identity> e : current.entrySet()) {
            Position p = saved.remove(e.getValue());
            long size = Files.size(e.getKey());
            long start;
            if (p != null) {
                start = p.offset() <= size ? p.offset() : 0;
            } else if (store == null || !store.exists()) {
                start = readFromLast ? size : 0;
            } else {
                start = 0;
            }
            track(e.getValue(), e.getKey(), start);
        }
        for (Position p : saved.values()) {
            Path old = findRotated(Path.of(p.path()), new Identity(p.dev(), p.ino()));
            if (old == null) {
                LOG.warn("Tail: {} (inode {}) was removed while stopped; lines after offset {} could not be read",
                        p.path(), p.ino(), p.offset());
                continue;
            }
            LOG.info("Tail: {} was rotated to {} while stopped; reading it from offset {}", p.path(), old, p.offset());
            Tracked t = track(new Identity(p.dev(), p.ino()), old, p.offset());
            t.rotated = true;
        }
    }

    private static Path findRotated(Path original, Identity id) throws IOException {
        Path dir = original.getParent() == null ? Path.of(".") : original.getParent();
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path f : ds) {
                if (Files.isRegularFile(f) && id.equals(identity(f))) {
                    return f;
                }
            }
        }
        return null;
    }

    private Tracked track(Identity id, Path path, long start) throws IOException {
        Tracked t = new Tracked(id, path, start);
        tracked.put(id, t);
        committed.putIfAbsent(id, new Position(path.toString(), id.dev(), id.ino(), start));
        dirty = true;
        return t;
    }

    /** A file that shrank or whose first bytes changed (copytruncate) is read again from its start. */
    private void checkTruncated(Tracked t) throws IOException {
        long size = t.channel.size();
        if (!t.rotated && (size < t.readPos || headChanged(t))) {
            LOG.warn("Tail: {} was truncated (copytruncate: {} bytes read, {} now); reading it again from the start",
                    t.path, t.readPos, size);
            t.head = null;
            t.readPos = 0;
            t.generation++;
            t.splitter = new LineSplitter(maxLineBytes, 0);
            committed.put(t.id, new Position(t.path.toString(), t.id.dev(), t.id.ino(), 0));
            dirty = true;
        }
    }

    /** Whether a rotated file stopped growing: read to its end at two reads in a row. */
    private static boolean atEnd(Tracked t) throws IOException {
        long now = t.channel.size();
        boolean end = now == t.readPos && now == t.lastSize;
        t.lastSize = now;
        return end;
    }

    /** The lines of one read, received at the time of that read, each saving its offset once durable. */
    private LineSplitter.Sink sink(Tracked t, List<LogEvent> out) {
        Instant received = clock.instant();
        String name = t.path.toAbsolutePath().toString();
        Identity id = t.id;
        String path = t.path.toString();
        int generation = t.generation;
        String source = "tail:" + id.key();
        return (line, part, continued, end) -> out.add(events.lineEvent(line, part, continued, input, "tail", name,
                received, new Durable(source, () -> {
                    if (t.generation == generation) {
                        committed.put(id, new Position(path, id.dev(), id.ino(), end));
                        dirty = true;
                    }
                })));
    }

    private static boolean headChanged(Tracked t) throws IOException {
        long size = t.channel.size();
        if (t.head == null) {
            // first look at this file: remember how it starts
            if (size > 0) {
                t.head = readHead(t, (int) Math.min(HEAD_BYTES, size));
            }
            return false;
        }
        return size < t.head.length || !java.util.Arrays.equals(t.head, readHead(t, t.head.length));
    }

    private static byte[] readHead(Tracked t, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining() && t.channel.read(b, b.position()) > 0) {
            // read until the buffer is full
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    /** Saves the durable offsets when they changed (temp file, fsync, atomic rename). */
    public void save() throws IOException {
        if (store == null || !dirty) {
            return;
        }
        dirty = false;
        store.save(committed.values());
    }

    private Map<Identity, Position> load() throws IOException {
        return store == null ? new LinkedHashMap<>() : store.load();
    }

    /** Closes the open files (the pipeline is committed and positions saved by the caller first). */
    public synchronized void close() throws IOException {
        save();
        for (Tracked t : tracked.values()) {
            t.channel.close();
        }
        tracked.clear();
    }
}
