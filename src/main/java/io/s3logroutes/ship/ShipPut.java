package io.s3logroutes.ship;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.s3logroutes.observe.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sealed batch's way into S3, in the steps of the {@code ship-put} route: the attempt (its key, kept beside the
 * batch in the spool so that a retry and a restart after a crash use the same key until it is older than
 * {@code max-upload-delay}), the answer to a 412, and the batch's removal from the spool once S3 has it. The PUT
 * itself is the route's.
 */
public final class ShipPut {

    private static final Logger LOG = LoggerFactory.getLogger(ShipPut.class);

    /** What one PUT sends: the batch file under {@code key}. */
    public record Attempt(KeyAssigner.Assigned key, Path file, long length, String contentType,
                          String contentEncoding, String storageClass) {
    }

    private final Uploader uploader;
    private final Spool spool;
    private final String storageClass;
    private final InputCounts inputs;
    private final Metrics.Count objects;
    private final Metrics.Count bytes;
    private final Metrics.Stamp lastSuccess;
    private final PermanentErrors permanent;

    public ShipPut(Uploader uploader, Spool spool, String storageClass, Metrics metrics, InputCounts inputs,
                   PermanentErrors permanent) {
        this.uploader = uploader;
        this.spool = spool;
        this.storageClass = storageClass;
        this.inputs = inputs;
        this.permanent = permanent;
        this.objects = metrics.count("s3logs.ship.objects", "objects written to S3");
        this.bytes = metrics.count("s3logs.ship.bytes", "bytes written to S3 (as stored, after gzip)");
        this.lastSuccess = metrics.lastSuccess("ship");
    }

    /**
     * The key of a batch about to be uploaded (the {@code AssignKey} step): the one saved beside it by an earlier run,
     * else a fresh one, saved before the upload starts. Batches given keys one after the other get keys in that order.
     */
    public KeyAssigner.Assigned key(Spool.Batch batch) throws IOException {
        KeyAssigner.Assigned key = spool.loadKey(batch);
        if (key == null) {
            key = uploader.assign(batch);
            spool.saveKey(batch, key);
        }
        return key;
    }

    /**
     * The next attempt of a batch after {@code previous} (its key so far), or {@code null} when nothing is left to
     * put: the batch is already stored (then it is removed from the spool) or no longer in the spool (logged).
     */
    public Attempt attempt(Spool.Batch batch, KeyAssigner.Assigned previous, Uploader.Md5 md5) throws IOException {
        if (!Files.exists(batch.path())) {
            LOG.error("Ship: spool batch {} was removed by someone else before it was uploaded; its events are lost",
                    batch.path());
            permanent.gone(batch.path());
            return null;
        }
        KeyAssigner.Assigned key = uploader.attemptKey(batch, previous, md5);
        if (key == null) {
            stored(batch, previous);
            return null;
        }
        return attemptWith(batch, key, previous);
    }

    /** After a 412 on {@code key}: the attempt with the next key, or {@code null} when S3 holds this batch there. */
    public Attempt taken(Spool.Batch batch, KeyAssigner.Assigned key, Uploader.Md5 md5) throws IOException {
        KeyAssigner.Assigned next = uploader.taken(batch, key, md5);
        if (next == null) {
            stored(batch, key);
            return null;
        }
        return attemptWith(batch, next, key);
    }

    /** S3 holds the batch under {@code key}: it leaves the spool and counts as stored. */
    public void stored(Spool.Batch batch, KeyAssigner.Assigned key) throws IOException {
        long size = batch.size();
        spool.remove(batch);
        inputs.stored(batch.path());
        objects.increment();
        bytes.add(size);
        lastSuccess.mark();
        permanent.stored(batch.path(), key.key());
        LOG.debug("Ship: stored {} ({} bytes)", key.key(), size);
    }

    /**
     * After a failed attempt of {@code batch} (null when the failure came before the batch was taken) under
     * {@code key}: the pause before its next attempt when the failure is permanent ({@link PermanentErrors}), else
     * null (the route's backoff).
     */
    public java.time.Duration failed(Spool.Batch batch, KeyAssigner.Assigned key, Throwable e) {
        boolean p = permanent.failed(batch == null ? null : batch.path(), key == null ? null : key.key(), e);
        return p ? permanent.retryDelay() : null;
    }

    private Attempt attemptWith(Spool.Batch batch, KeyAssigner.Assigned key, KeyAssigner.Assigned previous)
            throws IOException {
        if (!key.equals(previous)) {
            spool.saveKey(batch, key);
        }
        return new Attempt(key, batch.path(), batch.size(), Uploader.contentType(batch),
                Uploader.contentEncoding(batch), storageClass.isEmpty() ? null : storageClass);
    }
}
