package io.s3logroutes.ship;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.s3logroutes.event.EventCodec;

/**
 * The durable local spool of ship: every batch is written here and fsync'd before its input is committed, and
 * stays until S3 has acknowledged it. A batch being filled is a {@code .open} file (never uploaded; deleted at
 * start, since its input was not committed); a sealed batch is {@code <millis>-<counter>.<format>[.gz].batch}.
 * Names sort in seal order. Thread-safe.
 *
 * <p>A batch of events with a key pattern of their own ({@link io.s3logroutes.event.EventStage#KEY_PATTERN}) carries
 * it in its name, so that it survives a restart: {@code <millis>-<counter>.k<pattern>.open}, sealed as
 * {@code <millis>-<counter>.k<pattern>.<format>[.gz].batch}, the pattern in unpadded base64url (UTF-8). A name
 * without that segment, as every earlier release wrote, is a batch of the configured pattern.
 */
public final class Spool {

    public static final String SEALED = ".batch";
    private static final String OPEN = ".open";

    /**
     * A sealed batch and what its name says about its content.
     *
     * @param keyPattern the key pattern of its events, {@code null} for {@code s3logs.ship.key-pattern}
     */
    public record Batch(Path path, EventCodec.Format format, boolean gzip, String keyPattern) {
        public Batch(Path path, EventCodec.Format format, boolean gzip) {
            this(path, format, gzip, null);
        }

        public long size() throws IOException {
            return Files.size(path);
        }
    }

    /** The name segment that starts an encoded key pattern. */
    private static final String PATTERN = ".k";
    /** Leaves room in 255 bytes for {@code <millis>-<counter>}, the format and {@code .gz.batch.key.tmp}. */
    private static final int MAX_PATTERN_SEGMENT = 200;

    private final Path dir;
    private final long maxBytes;
    private final AtomicLong bytes = new AtomicLong();
    private final List<Path> unsynced = new ArrayList<>();
    /** Uploads signal freed space on this lock, not on the spool's, which is held during fsyncs. */
    private final Object space = new Object();
    private long counter;

    public Spool(Path dir, long maxBytes) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        Files.createDirectories(dir);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.endsWith(OPEN) || n.endsWith(".key.tmp")) {
                    Files.delete(p);
                } else if (n.endsWith(SEALED)) {
                    bytes.addAndGet(Files.size(p));
                }
            }
        }
    }

    public Path dir() {
        return dir;
    }

    /** Sealed batches left by an earlier run, oldest first. */
    public List<Batch> pending() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SEALED)) {
            ds.forEach(files::add);
        }
        files.sort(null);
        List<Batch> out = new ArrayList<>();
        for (Path p : files) {
            out.add(describe(p));
        }
        return out;
    }

    /**
     * What a sealed batch's name says: format, gzip and key pattern.
     *
     * @throws IOException when its key pattern segment is not base64url, naming the file
     */
    static Batch describe(Path p) throws IOException {
        String n = p.getFileName().toString();
        String stem = n.substring(0, n.length() - SEALED.length());
        boolean gz = stem.endsWith(".gz");
        if (gz) {
            stem = stem.substring(0, stem.length() - 3);
        }
        EventCodec.Format f = stem.endsWith(".json") ? EventCodec.Format.JSON
                : stem.endsWith(".pickle") ? EventCodec.Format.PICKLE : EventCodec.Format.RAW;
        return new Batch(p, f, gz, keyPattern(p, stem));
    }

    /** The key pattern in a spool file's name stem ({@code <millis>-<counter>[.k<pattern>][.<format>]}), or null. */
    private static String keyPattern(Path p, String stem) throws IOException {
        int dot = stem.indexOf('.');
        if (dot < 0 || !stem.startsWith(PATTERN, dot)) {
            return null;
        }
        int end = stem.indexOf('.', dot + PATTERN.length());
        String encoded = stem.substring(dot + PATTERN.length(), end < 0 ? stem.length() : end);
        try {
            return new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IOException("spool batch " + p + ": its key pattern segment '" + encoded
                    + "' is not base64url (" + e.getMessage() + "); rename it without the segment to ship it under"
                    + " s3logs.ship.key-pattern", e);
        }
    }

    /** The name segment for a key pattern: empty for {@code null}, else {@code .k<base64url>}. */
    static String patternSegment(String keyPattern) throws IOException {
        if (keyPattern == null) {
            return "";
        }
        String seg = PATTERN + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(keyPattern.getBytes(StandardCharsets.UTF_8));
        if (seg.length() > MAX_PATTERN_SEGMENT) {
            throw new IOException("key pattern '" + keyPattern + "' is too long to be kept in a spool file name ("
                    + keyPattern.getBytes(StandardCharsets.UTF_8).length + " bytes; at most "
                    + (MAX_PATTERN_SEGMENT - PATTERN.length()) * 3 / 4 + ")");
        }
        return seg;
    }

    /** A new batch file being filled, of the configured key pattern; {@link #seal} or {@link #discard} it. */
    public Path open() throws IOException {
        return open(null);
    }

    /**
     * A new batch file being filled with events of {@code keyPattern} ({@code null}: the configured one), which its
     * name keeps; {@link #seal} or {@link #discard} it.
     */
    public synchronized Path open(String keyPattern) throws IOException {
        Path p = dir.resolve(System.currentTimeMillis() + "-" + (++counter) + patternSegment(keyPattern) + OPEN);
        Files.createFile(p);
        return p;
    }

    public OutputStream output(Path open) throws IOException {
        return Files.newOutputStream(open, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    public void discard(Path open) throws IOException {
        Files.deleteIfExists(open);
    }

    /** Renames a filled batch to its sealed name. Durable only after {@link #sync}. */
    public synchronized Batch seal(Path open, EventCodec.Format format, boolean gzip) throws IOException {
        String n = open.getFileName().toString();
        String stem = n.substring(0, n.length() - OPEN.length());
        Path sealed = dir.resolve(String.format("%013d-%s.%s%s%s", System.currentTimeMillis(),
                stem.substring(stem.indexOf('-') + 1), format, gzip ? ".gz" : "", SEALED));
        try (FileChannel ch = FileChannel.open(open, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(open, sealed, StandardCopyOption.ATOMIC_MOVE);
        bytes.addAndGet(Files.size(sealed));
        unsynced.add(sealed);
        return describe(sealed);
    }

    /**
     * Seals several filled batches at once and makes them durable: fsyncs every file, renames each to its sealed name,
     * then fsyncs the directory once. The fsyncs follow each other, so a file system that journals them together
     * (ext4, XFS) writes one journal commit for the group instead of one per batch. A crash before this returns leaves
     * {@code .open} files, which the next start deletes (their input was not committed).
     */
    public synchronized List<Batch> sealAll(List<Path> opens, EventCodec.Format format, boolean gzip)
            throws IOException {
        for (Path open : opens) {
            try (FileChannel ch = FileChannel.open(open, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        }
        List<Batch> out = new ArrayList<>(opens.size());
        for (Path open : opens) {
            String n = open.getFileName().toString();
            String stem = n.substring(0, n.length() - OPEN.length());
            Path sealed = dir.resolve(String.format("%013d-%s.%s%s%s", System.currentTimeMillis(),
                    stem.substring(stem.indexOf('-') + 1), format, gzip ? ".gz" : "", SEALED));
            Files.move(open, sealed, StandardCopyOption.ATOMIC_MOVE);
            bytes.addAndGet(Files.size(sealed));
            out.add(describe(sealed));
        }
        unsynced.add(dir);
        sync();
        return out;
    }

    /** Makes every sealed batch durable: the files were fsync'd at seal; this fsyncs the directory entries. */
    public synchronized void sync() throws IOException {
        if (unsynced.isEmpty()) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
        unsynced.clear();
    }

    /** Remembers the key chosen for a batch before its upload starts, so that a restart retries the same key. */
    public void saveKey(Batch b, KeyAssigner.Assigned key) throws IOException {
        Path tmp = keyFile(b).resolveSibling(keyFile(b).getFileName() + ".tmp");
        Files.write(tmp, List.of(key.key(), key.base(), Long.toString(key.time().getEpochSecond()),
                Long.toString(key.seq()), key.suffix()));
        Files.move(tmp, keyFile(b), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The key an earlier attempt chose for this batch, if any. */
    public KeyAssigner.Assigned loadKey(Batch b) throws IOException {
        Path f = keyFile(b);
        if (!Files.exists(f)) {
            return null;
        }
        List<String> l = Files.readAllLines(f);
        if (l.size() < 5) {
            throw new IOException("spool key file " + f + " is incomplete; delete it to give the batch a fresh key");
        }
        return new KeyAssigner.Assigned(l.get(0), l.get(1), java.time.Instant.ofEpochSecond(Long.parseLong(l.get(2))),
                Long.parseLong(l.get(3)), l.get(4));
    }

    private static Path keyFile(Batch b) {
        return b.path().resolveSibling(b.path().getFileName() + ".key");
    }

    /** Removes a batch that S3 acknowledged. */
    public void remove(Batch b) throws IOException {
        long size = Files.size(b.path());
        Files.deleteIfExists(keyFile(b));
        Files.delete(b.path());
        bytes.addAndGet(-size);
        synchronized (space) {
            space.notifyAll();
        }
    }

    public long bytes() {
        return bytes.get();
    }

    public long maxBytes() {
        return maxBytes;
    }

    public boolean isFull() {
        return bytes.get() >= maxBytes;
    }

    /** Blocks while the spool is full (backpressure on the inputs). */
    public void awaitSpace() throws InterruptedException {
        synchronized (space) {
            while (isFull()) {
                space.wait(1000);
            }
        }
    }
}
