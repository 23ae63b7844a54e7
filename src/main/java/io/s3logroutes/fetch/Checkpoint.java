package io.s3logroutes.fetch;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The position of the fetch flow, one line of the checkpoint file:
 * {@code <last key completely written>[TAB<output length>TAB<output file>]}. The key alone (a hand-edited file) is
 * valid: fetching resumes after it. The length is the size of the output file once that key was written, flushed
 * and synced; on start, anything beyond it was written by a run that did not checkpoint and is cut off before the
 * objects after the key are read again.
 *
 * @param key    the last key written, empty before the first one
 * @param file   the output file the length refers to, empty when unknown
 * @param length its committed length, -1 when unknown
 */
public record Checkpoint(Optional<String> key, Optional<Path> file, long length) {

    public static final Checkpoint START = new Checkpoint(Optional.empty(), Optional.empty(), -1);

    public Checkpoint {
        key = key.filter(k -> !k.isEmpty());
        if (file.isEmpty()) {
            length = -1;
        }
    }

    public static Checkpoint parse(String text) {
        String line = text.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        String[] f = line.split("\t", 3);
        if (f.length == 3) {
            try {
                long len = Long.parseLong(f[1].trim());
                if (len >= 0 && !f[2].isEmpty()) {
                    return new Checkpoint(Optional.of(f[0]), Optional.of(Path.of(f[2])), len);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the output length '" + f[1] + "' is not a number");
            }
        }
        return new Checkpoint(Optional.of(f[0]), Optional.empty(), -1);
    }

    public String format() {
        StringBuilder sb = new StringBuilder(key.orElse(""));
        file.ifPresent(f -> sb.append('\t').append(length).append('\t').append(f));
        return sb.append('\n').toString();
    }

    public Checkpoint withKey(String k, Path f, long len) {
        return new Checkpoint(Optional.of(k), Optional.of(f), len);
    }

    public Checkpoint withFile(Path f, long len) {
        return new Checkpoint(key, Optional.of(f), len);
    }
}
