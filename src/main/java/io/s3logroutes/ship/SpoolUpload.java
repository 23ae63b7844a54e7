package io.s3logroutes.ship;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sealed batch of the spool to S3: its key (kept beside it in the spool, so that a retry and a restart after a
 * crash use the same key; a 412 there with this batch's MD5 means it is already stored), the upload, and its removal
 * from the spool once S3 has it. The same steps whether a route drives them (the application's {@code ship-upload}
 * and {@code ship-put}) or the ship sink kamelet's own upload threads.
 */
public final class SpoolUpload {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolUpload.class);

    /** A batch stored in S3 under {@code key}; {@code size} as stored. */
    public record Stored(KeyAssigner.Assigned key, long size) {
    }

    private final Uploader uploader;
    private final Spool spool;

    public SpoolUpload(Uploader uploader, Spool spool) {
        this.uploader = uploader;
        this.spool = spool;
    }

    /**
     * The key of a batch about to be uploaded: the one saved beside it by an earlier run, else a fresh one, saved
     * before the upload starts. Batches given keys one after the other get keys in that order.
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
     * Uploads the batch and removes it from the spool. {@code previous} is the key of the last attempt;
     * {@code tried} hears of every other key tried, once it is saved beside the batch, so that the caller can pass it
     * as {@code previous} when it retries after a failure.
     *
     * @return what was stored, or {@code null} when the batch is no longer in the spool (logged: its events are lost,
     *         and retrying cannot bring them back)
     */
    public Stored upload(Spool.Batch batch, KeyAssigner.Assigned previous, Consumer<KeyAssigner.Assigned> tried)
            throws IOException {
        if (!Files.exists(batch.path())) {
            LOG.error("Ship: spool batch {} was removed by someone else before it was uploaded; its events are lost",
                    batch.path());
            return null;
        }
        AtomicReference<KeyAssigner.Assigned> current = new AtomicReference<>(previous);
        KeyAssigner.Assigned key = uploader.upload(batch, previous, k -> {
            if (!k.equals(current.get())) {
                current.set(k);
                try {
                    spool.saveKey(batch, k);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot save the key of spool batch " + batch.path(), e);
                }
                tried.accept(k);
            }
        });
        long size = batch.size();
        spool.remove(batch);
        return new Stored(key, size);
    }
}
