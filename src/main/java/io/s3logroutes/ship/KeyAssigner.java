package io.s3logroutes.ship;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import io.s3logroutes.keys.KeyPattern;

/**
 * Assigns object keys: the key pattern at the current second plus a per-key-base counter starting at 1. A key
 * that S3 refuses with 412 (another writer holds it) is followed by {@link #next}. Thread-safe; no clock of its own.
 */
public final class KeyAssigner {

    /** An assigned key and the second it encodes. */
    public record Assigned(String key, String base, Instant time, long seq, String suffix) {
    }

    private final KeyPattern pattern;
    private final Map<String, String> vars;
    private final Map<String, Long> counters = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > 256;
        }
    };

    public KeyAssigner(KeyPattern pattern, Map<String, String> vars) {
        this.pattern = pattern;
        this.vars = Map.copyOf(vars);
    }

    public synchronized Assigned assign(Instant now, String suffix) {
        Instant t = now.truncatedTo(ChronoUnit.SECONDS);
        String base = pattern.base(t, vars);
        long seq = counters.merge(base, 1L, Long::sum);
        return new Assigned(pattern.render(t, vars, seq) + suffix, base, t, seq, suffix);
    }

    /** The next key after {@code taken} was found to exist (same second, higher counter). */
    public synchronized Assigned next(Assigned taken) {
        long seq = counters.merge(taken.base(), taken.seq() + 1, Math::max);
        if (seq <= taken.seq()) {
            seq = taken.seq() + 1;
            counters.put(taken.base(), seq);
        }
        return new Assigned(pattern.render(taken.time(), vars, seq) + taken.suffix(), taken.base(), taken.time(), seq,
                taken.suffix());
    }
}
