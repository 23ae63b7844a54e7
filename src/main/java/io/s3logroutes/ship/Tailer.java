package io.s3logroutes.ship;

import java.io.IOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
    private final ShipPipeline pipeline;
    private final EventFactory events;
    private final String input;
    private final int maxLineBytes;
    private final boolean readFromLast;
    private final PositionStore store;
    private final Clock clock;

    private final Map<Identity, Tracked> tracked = new LinkedHashMap<>();
    /** Durable offsets, updated by the pipeline's callbacks. */
    private final Map<Identity, Position> committed = new ConcurrentHashMap<>();
    private volatile boolean dirty;
    private boolean started;

    public Tailer(List<String> patterns, ShipPipeline pipeline, EventFactory events, String input, int maxLineBytes,
                  boolean readFromLast, Path stateFile, Clock clock) {
        this.patterns = List.copyOf(patterns);
        this.pipeline = pipeline;
        this.events = events;
        this.input = input;
        this.maxLineBytes = maxLineBytes;
        this.readFromLast = readFromLast;
        this.store = stateFile == null ? null : new PositionStore(stateFile, true);
        this.clock = clock;
    }

    /** Reads what was appended since the last poll and saves the durable offsets. */
    public synchronized void poll() throws IOException, InterruptedException {
        Map<Path, Identity> current = scan();
        if (!started) {
            resume(current);
            started = true;
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
        List<Identity> done = new ArrayList<>();
        for (Tracked t : tracked.values()) {
            if (read(t)) {
                done.add(t.id);
            }
        }
        for (Identity id : done) {
            Tracked t = tracked.get(id);
            Position p = committed.get(id);
            if (p != null && p.offset() >= t.readPos) {
                t.channel.close();
                tracked.remove(id);
                committed.remove(id);
                dirty = true;
            }
        }
        save();
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

    /** @return true when a rotated file has been read completely and can be let go */
    private boolean read(Tracked t) throws IOException, InterruptedException {
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
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        long budget = BUDGET_PER_POLL;
        String name = t.path.toAbsolutePath().toString();
        // the lines of one read are received at the time of that read
        Instant[] received = {clock.instant()};
        LineSplitter.Sink sink = (line, part, continued, end) -> {
            Identity id = t.id;
            String path = t.path.toString();
            int generation = t.generation;
            try {
                pipeline.accept(events.lineEvent(line, part, continued, input, "tail", name, received[0]),
                        "tail:" + id.key(), () -> {
                            if (t.generation == generation) {
                                committed.put(id, new Position(path, id.dev(), id.ino(), end));
                                dirty = true;
                            }
                        });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while shipping " + name, e);
            }
        };
        while (budget > 0) {
            buf.clear();
            int r = t.channel.read(buf, t.readPos);
            if (r <= 0) {
                break;
            }
            received[0] = clock.instant();
            t.splitter.feed(buf.array(), 0, r, sink);
            t.readPos += r;
            budget -= r;
        }
        if (t.rotated) {
            long now = t.channel.size();
            if (now == t.readPos && now == t.lastSize) {
                t.splitter.finish(sink);
                return true;
            }
            t.lastSize = now;
        }
        return false;
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
