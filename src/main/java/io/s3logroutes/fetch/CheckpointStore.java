package io.s3logroutes.fetch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Reads and atomically replaces the checkpoint file: write a temporary file beside it, fsync it, rename it over the
 * checkpoint, fsync the directory. After a crash the file holds either the previous or the new line, never a mix.
 * The file format is {@link Checkpoint}'s.
 */
public final class CheckpointStore {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("io.s3logroutes.fetch");

    private final Path file;

    public CheckpointStore(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    public Path file() {
        return file;
    }

    /** {@link Checkpoint#START} when the file does not exist (deleting it restarts from the beginning). */
    public Checkpoint read() throws IOException {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            try {
                return Checkpoint.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IOException("the checkpoint file " + file + " is malformed: " + e.getMessage(), e);
            }
        } catch (NoSuchFileException e) {
            return Checkpoint.START;
        }
    }

    public void write(Checkpoint cp) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(cp.format().getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace the checkpoint file " + file + " atomically: " + e.getMessage(), e);
        }
        syncDirectory(dir);
    }

    /**
     * Cuts the checkpoint's output file back to the length it records: what lies beyond was written by a run that did
     * not checkpoint it, and is read again.
     */
    public void cutBack(Checkpoint cp, String why) throws IOException {
        if (cp.file().isEmpty() || !Files.exists(cp.file().get())) {
            return;
        }
        Path f = cp.file().get();
        long size = Files.size(f);
        if (size > cp.length()) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.truncate(cp.length());
                ch.force(true);
            }
            LOG.warn("Fetch: cut {} bytes off {} that were written after the checkpoint {} ({}); they are read again",
                    size - cp.length(), f, cp.key().orElse("(start)"), why);
        } else if (size < cp.length()) {
            LOG.warn("Fetch: {} is {} bytes, shorter than the {} bytes the checkpoint {} records; appending to it",
                    f, size, cp.length(), file);
        }
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a directory; the rename itself is atomic there.
            if (!System.getProperty("os.name", "").toLowerCase().contains("win")) {
                throw e;
            }
        }
    }
}
