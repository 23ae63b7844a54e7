package io.s3logroutes.fetch;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** What fetch has done since it was made: the figures of its metrics and of the kamelet's summary. */
public final class FetchStats {

    private final AtomicLong objects = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile Instant lastSuccess;

    void objectRead(long storedBytes) {
        objects.incrementAndGet();
        bytes.addAndGet(Math.max(0, storedBytes));
    }

    void objectFailed() {
        failed.incrementAndGet();
    }

    void succeeded(Instant at) {
        lastSuccess = at;
    }

    /** Objects read into the output. */
    public long objectsRead() {
        return objects.get();
    }

    /** Bytes of the objects read (as stored in S3). */
    public long bytesRead() {
        return bytes.get();
    }

    /** Objects recorded in the failed file (bad objects, objects with lines that are not events). */
    public long failedObjects() {
        return failed.get();
    }

    /** The end of the last poll that finished without a failure, or null. */
    public Instant lastSuccess() {
        return lastSuccess;
    }
}
