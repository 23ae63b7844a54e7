package io.s3logroutes.collapse;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import io.s3logroutes.config.Props;

/**
 * Progress of one output: a line every 5 seconds or every 1,000 objects (period, objects done/total, bytes,
 * percent, rate, ETA). The clock and the sink are parameters so that the rule is unit-tested.
 */
final class Progress {

    static final long EVERY_NANOS = Duration.ofSeconds(5).toNanos();
    static final int EVERY_OBJECTS = 1000;

    private final String what;
    private final int totalObjects;
    private final long totalBytes;
    private final LongSupplier nanoClock;
    private final Consumer<String> sink;
    private final long started;
    private long lastLine;
    private int lastObjects;
    private int objects;
    private long bytes;

    Progress(String what, int totalObjects, long totalBytes, LongSupplier nanoClock, Consumer<String> sink) {
        this.what = what;
        this.totalObjects = totalObjects;
        this.totalBytes = totalBytes;
        this.nanoClock = nanoClock;
        this.sink = sink;
        this.started = nanoClock.getAsLong();
        this.lastLine = started;
    }

    void objectDone(long size) {
        objects++;
        bytes += size;
        long now = nanoClock.getAsLong();
        if (objects - lastObjects >= EVERY_OBJECTS || now - lastLine >= EVERY_NANOS) {
            sink.accept(line(now));
            lastLine = now;
            lastObjects = objects;
        }
    }

    String line(long now) {
        double secs = Math.max(1e-3, (now - started) / 1e9);
        double rate = bytes / secs;
        double pct = totalBytes == 0 ? 100.0 * objects / Math.max(1, totalObjects) : 100.0 * bytes / totalBytes;
        long etaSecs = rate <= 0 ? -1 : Math.round((totalBytes - bytes) / rate);
        return String.format(Locale.ROOT, "%s: %d/%d objects, %s of %s, %.0f%%, %s/s, ETA %s", what, objects,
                totalObjects, Props.formatSize(bytes), Props.formatSize(totalBytes), pct, Props.formatSize((long) rate),
                etaSecs < 0 ? "?" : etaSecs + "s");
    }
}
