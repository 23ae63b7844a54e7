package io.s3logroutes.ship;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Events per ship input ({@code ship-file}, {@code ship-tail}, {@code ship-syslog-udp}, {@code ship-syslog-tcp}):
 * read in by the pipeline, and out, that is stored in S3. The counts of an open batch (one per key pattern) move with
 * it when it is sealed and are added to the out counts when S3 has acknowledged that batch. Batches left in the
 * spool by an earlier run carry no counts (their events were counted in by that run). Thread-safe.
 */
public final class InputCounts {

    /** The input of an event that names none. */
    public static final String UNKNOWN = "unknown";

    private final Map<String, LongAdder> in = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> out = new ConcurrentHashMap<>();
    /** Counts by batch file: open, closed or sealed. */
    private final Map<Path, Map<String, long[]>> sealed = new ConcurrentHashMap<>();

    /** One event of {@code input} went into the open batch {@code batch}. */
    public synchronized void accepted(Path batch, String input) {
        String name = input == null ? UNKNOWN : input;
        in.computeIfAbsent(name, k -> new LongAdder()).increment();
        sealed.computeIfAbsent(batch, b -> new HashMap<>()).computeIfAbsent(name, k -> new long[1])[0]++;
    }

    /** The closed batch {@code from} was sealed under its spool name {@code to}. */
    public synchronized void renamed(Path from, Path to) {
        Map<String, long[]> counts = sealed.remove(from);
        if (counts != null) {
            sealed.put(to, counts);
        }
    }

    /** S3 has acknowledged {@code batch}: its events are out. */
    public void stored(Path batch) {
        Map<String, long[]> counts = sealed.remove(batch);
        if (counts != null) {
            counts.forEach((input, n) -> out.computeIfAbsent(input, k -> new LongAdder()).add(n[0]));
        }
    }

    public long in(String input) {
        LongAdder a = in.get(input);
        return a == null ? 0 : a.sum();
    }

    public long out(String input) {
        LongAdder a = out.get(input);
        return a == null ? 0 : a.sum();
    }
}
