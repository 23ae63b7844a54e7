package io.s3logroutes.ship;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Read positions of input files, known by device + inode, saved as JSON with a temp file and an atomic rename.
 * A position is saved only once the lines before it are durable, so a stale file means lines read again, never
 * lines lost.
 */
public final class PositionStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A file's identity: device and inode, which survive a rename. */
    public record Identity(long dev, long ino) {
        public String key() {
            return dev + ":" + ino;
        }
    }

    /** One saved position. */
    public record Position(String path, long dev, long ino, long offset) {
        public Identity identity() {
            return new Identity(dev, ino);
        }
    }

    private final Path file;
    private final boolean fsync;

    /** @param fsync whether each save is fsync'd (file and directory) */
    public PositionStore(Path file, boolean fsync) {
        this.file = file;
        this.fsync = fsync;
    }

    public Path file() {
        return file;
    }

    public boolean exists() {
        return Files.exists(file);
    }

    /** The identity of a file, or {@code null} when it does not exist. */
    public static Identity identity(Path p) throws IOException {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:dev,ino");
            return new Identity(((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue());
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    public synchronized void save(Collection<Position> positions) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(List.copyOf(positions))));
            if (fsync) {
                ch.force(true);
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (fsync) {
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        }
    }

    public synchronized Map<Identity, Position> load() throws IOException {
        Map<Identity, Position> m = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return m;
        }
        try {
            List<Position> list = JSON.readValue(file.toFile(), new TypeReference<List<Position>>() {
            });
            for (Position p : list) {
                m.put(p.identity(), p);
            }
        } catch (IOException e) {
            throw new IOException("the position file " + file + " is unreadable (" + e.getMessage()
                    + "); fix or delete it", e);
        }
        return m;
    }
}
