package io.s3logroutes.fetch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The record of bad objects, {@code s3logs.fetch.failed-file}: one tab-separated line per problem,
 * {@code time key size etag reason} (UTC time of the fetch, the object's key, its stored size in bytes, its ETag,
 * a one-line reason). The object itself stays in S3 untouched.
 */
public final class FailedFile {

    private final Path file;

    public FailedFile(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public static String row(Instant time, ListedObject o, String reason) {
        return time + "\t" + o.key() + "\t" + o.size() + "\t" + (o.eTag() == null ? "" : o.eTag()) + "\t"
                + ObjectReader.oneLine(reason) + "\n";
    }

    public void append(Instant time, ListedObject o, String reason) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Files.writeString(file, row(time, o, reason), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    }
}
