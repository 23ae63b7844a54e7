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
 */
public final class CheckpointStore {

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
