package io.s3logroutes.fetch;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What one poll of fetch read, for its one INFO line:
 * {@code Fetch: 600 events from 12 objects (89664 bytes) -> data/out/fetched.log}. Each object has its own DEBUG line.
 */
final class PollSummary {

    private long objects;
    private long events;
    private long bytes;
    private long bad;
    private final Set<Path> files = new LinkedHashSet<>();

    /** An object was read whole: its size in S3, its events, the file they went to. */
    void read(long size, long objectEvents, Path file) {
        objects++;
        bytes += size;
        events += objectEvents;
        files.add(file);
    }

    /** A bad object was recorded in the failed file. */
    void bad() {
        bad++;
    }

    void clear() {
        objects = 0;
        events = 0;
        bytes = 0;
        bad = 0;
        files.clear();
    }

    /** The summary line, or none when the poll read nothing. */
    Optional<String> line() {
        if (objects == 0 && bad == 0) {
            return Optional.empty();
        }
        StringBuilder b = new StringBuilder("Fetch: ").append(events).append(events == 1 ? " event" : " events")
                .append(" from ").append(objects).append(objects == 1 ? " object" : " objects")
                .append(" (").append(bytes).append(" bytes)");
        if (bad > 0) {
            b.append(", ").append(bad).append(bad == 1 ? " bad object" : " bad objects").append(" skipped");
        }
        if (!files.isEmpty()) {
            b.append(" -> ");
            int shown = 0;
            for (Path f : files) {
                if (shown == 3) {
                    b.append(" and ").append(files.size() - shown).append(" more files");
                    break;
                }
                b.append(shown > 0 ? ", " : "").append(f);
                shown++;
            }
        }
        return Optional.of(b.toString());
    }
}
