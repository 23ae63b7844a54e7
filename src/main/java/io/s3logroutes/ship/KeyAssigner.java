package io.s3logroutes.ship;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import io.s3logroutes.event.EventStage;
import io.s3logroutes.keys.KeyPattern;

/**
 * Assigns object keys: a key pattern at the current second plus a per-key-base counter starting at 1. The pattern is
 * the configured one, or a batch's own (its events' {@value EventStage#KEY_PATTERN} header at the event stage), parsed
 * once and cached, with the configured pattern's time zone and counter digits; patterns whose keys differ in their
 * base have counters of their own. A key that S3 refuses with
 * 412 (another writer holds it) is followed by {@link #next}. Thread-safe; no clock of its own.
 */
public final class KeyAssigner {

    /** An assigned key and the second it encodes. */
    public record Assigned(String key, String base, Instant time, long seq, String suffix) {
    }

    /** Where a pattern other than the configured one comes from, as errors name it. */
    static final String HEADER = "header " + EventStage.KEY_PATTERN;
    private static final int MAX_PATTERNS = 256;

    private final KeyPattern pattern;
    private final Map<String, String> vars;
    private final Map<String, Long> counters = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > 256;
        }
    };
    private final Map<String, KeyPattern> patterns = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, KeyPattern> eldest) {
            return size() > MAX_PATTERNS;
        }
    };

    public KeyAssigner(KeyPattern pattern, Map<String, String> vars) {
        this.pattern = pattern;
        this.vars = Map.copyOf(vars);
    }

    /** A key from the configured pattern. */
    public Assigned assign(Instant now, String suffix) {
        return assign(now, suffix, null);
    }

    /**
     * A key from {@code keyPattern}, or from the configured pattern when it is {@code null}.
     *
     * @throws io.s3logroutes.config.ConfigException when {@code keyPattern} is not a valid key pattern (named)
     */
    public synchronized Assigned assign(Instant now, String suffix, String keyPattern) {
        KeyPattern p = pattern(keyPattern);
        Instant t = now.truncatedTo(ChronoUnit.SECONDS);
        String base = p.base(t, vars);
        long seq = counters.merge(base, 1L, Long::sum);
        return new Assigned(p.render(t, vars, seq) + suffix, base, t, seq, suffix);
    }

    /** The next key of the configured pattern after {@code taken} was found to exist. */
    public Assigned next(Assigned taken) {
        return next(taken, null);
    }

    /**
     * The next key after {@code taken}, assigned from {@code keyPattern} ({@code null}: the configured one), was found
     * to exist (same second, higher counter).
     */
    public synchronized Assigned next(Assigned taken, String keyPattern) {
        KeyPattern p = pattern(keyPattern);
        long seq = counters.merge(taken.base(), taken.seq() + 1, Math::max);
        if (seq <= taken.seq()) {
            seq = taken.seq() + 1;
            counters.put(taken.base(), seq);
        }
        return new Assigned(p.render(taken.time(), vars, seq) + taken.suffix(), taken.base(), taken.time(), seq,
                taken.suffix());
    }

    /** The configured pattern for {@code null}, else {@code keyPattern} parsed (cached). */
    private KeyPattern pattern(String keyPattern) {
        if (keyPattern == null) {
            return pattern;
        }
        KeyPattern p = patterns.get(keyPattern);
        if (p == null) {
            p = pattern.other(HEADER, keyPattern);
            patterns.put(keyPattern, p);
        }
        return p;
    }
}
