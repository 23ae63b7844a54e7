package io.s3logroutes.fetch;

/**
 * When the fetch checkpoint moves. Objects are written one after another; after an object that ends at a key the
 * checkpoint may move to ({@link #written(String, long)}), that key and the output length become the pending commit.
 * The commit (fsync of the output, then the checkpoint) is due once {@code interval} has passed since the last one,
 * or at once after a bad object (so that its failed-file line is not repeated after a restart), and the caller also
 * commits at the end of every batch and before the output moves to another file. A pure class: times are
 * parameters (nanoseconds of a monotonic clock).
 */
public final class CommitPacer {

    private final long intervalNanos;
    private long lastCommit;
    private String key;
    private long length = -1;
    private boolean urgent;

    public CommitPacer(java.time.Duration interval, long nowNanos) {
        this.intervalNanos = interval.toNanos();
        this.lastCommit = nowNanos;
    }

    /** An object was written; {@code commitKey} (or null) is where the checkpoint may move, {@code length} the output's. */
    public void written(String commitKey, long outputLength) {
        if (commitKey != null) {
            key = commitKey;
            length = outputLength;
        }
    }

    /** A bad object was recorded: commit at the next key the checkpoint may move to. */
    public void urgent() {
        urgent = true;
    }

    /** The pending key, or null when nothing is waiting to be committed. */
    public String pendingKey() {
        return key;
    }

    /** The output length that goes with {@link #pendingKey()}. */
    public long pendingLength() {
        return length;
    }

    /** Whether the pending commit should be made now. */
    public boolean due(long nowNanos) {
        return key != null && (urgent || intervalNanos <= 0 || nowNanos - lastCommit >= intervalNanos);
    }

    /** The pending commit was made (or there was none). */
    public void committed(long nowNanos) {
        key = null;
        length = -1;
        urgent = false;
        lastCommit = nowNanos;
    }

    /** Drops the pending commit (the output is cut back to the last checkpoint after a failure). */
    public void reset() {
        key = null;
        length = -1;
        urgent = false;
    }
}
