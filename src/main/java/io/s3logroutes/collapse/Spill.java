package io.s3logroutes.collapse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a collapse run keeps the key lists that exceed its memory budget ({@link InputList}): files in a directory
 * ({@code java.io.tmpdir} by default), each removed from the directory as soon as it is opened, so that nothing is
 * left on disk even when the process is killed; the space is freed when the run ends ({@link #close}).
 */
final class Spill implements AutoCloseable {

    /** Inputs kept as objects per list before it spills to a file (about 3 MB of heap). */
    static final int BUDGET = 10_000;

    private final Path dir;
    private final int budget;
    private final List<FileChannel> open = new ArrayList<>();

    Spill(Path dir, int budget) {
        this.dir = dir;
        this.budget = budget;
    }

    /** The spill directory of a process: {@code java.io.tmpdir}. */
    static Spill temp() {
        return new Spill(Path.of(System.getProperty("java.io.tmpdir")), BUDGET);
    }

    InputList.Builder builder() {
        return new InputList.Builder(this, budget);
    }

    /** A new, already unlinked, read-write file. */
    synchronized FileChannel open() throws IOException {
        Files.createDirectories(dir);
        Path p = Files.createTempFile(dir, "s3-log-routes-collapse-", ".keys");
        FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.DELETE_ON_CLOSE);
        try {
            Files.delete(p);
        } catch (IOException e) {
            // a file system that cannot remove an open file: DELETE_ON_CLOSE removes it at close
        }
        open.add(ch);
        return ch;
    }

    /** Frees every file opened so far (the lists built on them can no longer be read). */
    @Override
    public synchronized void close() {
        IOException first = null;
        for (FileChannel ch : open) {
            try {
                ch.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        open.clear();
        if (first != null) {
            throw new UncheckedIOException("cannot close a collapse spill file: " + first.getMessage(), first);
        }
    }
}
