package io.s3logroutes.ship;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import io.s3logroutes.config.S3Settings;
import io.s3logroutes.s3.S3ClientFactory;
import io.s3logroutes.s3.Sse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Uploads one sealed spool batch as one object. The key is assigned just before the first attempt; every PUT sends
 * {@code If-None-Match: *} (unless conditional writes are off), and a 412 moves on to the next counter, unless the
 * object found there is this very batch (same MD5 ETag: an earlier attempt that succeeded but whose answer was lost).
 * An upload still failing {@code max-upload-delay} after the time in its key gets a fresh key at its next attempt.
 * Failures other than 412 are thrown after one attempt, for the route's redelivery to retry (the SDK does not retry
 * them too: {@link S3ClientFactory#SINGLE_ATTEMPT}).
 *
 * <p>The {@code ship-put} route (of the application and of each ship sink kamelet) sends the PUT with the aws2-s3
 * producer and uses {@link #attemptKey} and {@link #taken} around it.
 */
public final class Uploader {

    private static final Logger LOG = LoggerFactory.getLogger(Uploader.class);
    private static final int MAX_TAKEN = 100_000;

    private final S3Client s3;
    private final S3Settings s3Settings;
    private final ShipSettings settings;
    private final KeyAssigner keys;
    private final Clock clock;

    public Uploader(S3Client s3, S3Settings s3Settings, ShipSettings settings, KeyAssigner keys, Clock clock) {
        this.s3 = s3;
        this.s3Settings = s3Settings;
        this.settings = settings;
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * The key of the next attempt: {@code previous} while it is fresh, a fresh one (or a first one) otherwise, or
     * {@code null} when the batch is already stored under the stale {@code previous}.
     */
    public KeyAssigner.Assigned attemptKey(Spool.Batch batch, KeyAssigner.Assigned previous, Md5 md5)
            throws IOException {
        Instant now = clock.instant();
        if (previous != null && Duration.between(previous.time(), now).compareTo(settings.maxUploadDelay()) > 0) {
            if (isSame(previous.key(), md5.get(), batch.size())) {
                return null;
            }
            LOG.warn("Batch {} still not stored {} after the time in key {}: it gets a fresh key",
                    batch.path().getFileName(), settings.maxUploadDelay(), previous.key());
            previous = null;
        }
        return previous != null ? previous : keys.assign(now, suffix(batch), batch.keyPattern());
    }

    /**
     * After a 412 on {@code key} (If-None-Match: the key exists): {@code null} when the object there is this very
     * batch (same size and MD5 ETag: an earlier attempt that succeeded but whose answer was lost), else the next key.
     */
    public KeyAssigner.Assigned taken(Spool.Batch batch, KeyAssigner.Assigned key, Md5 md5) throws IOException {
        if (isSame(key.key(), md5.get(), batch.size())) {
            LOG.info("Batch {} was already stored as {} by an earlier attempt", batch.path().getFileName(), key.key());
            return null;
        }
        return keys.next(key, batch.keyPattern());
    }

    /** A key for a batch about to be uploaded; batches given keys one after the other get keys in that order. */
    public KeyAssigner.Assigned assign(Spool.Batch batch) {
        return keys.assign(clock.instant(), suffix(batch), batch.keyPattern());
    }

    private String suffix(Spool.Batch batch) {
        return batch.gzip() ? settings.gzipSuffix() : "";
    }

    /** The object's content type and encoding, as the batch was written. */
    public static String contentType(Spool.Batch batch) {
        return batch.format().contentType();
    }

    public static String contentEncoding(Spool.Batch batch) {
        return batch.gzip() ? "gzip" : null;
    }

    private boolean isSame(String key, String md5, long size) {
        try {
            var head = s3.headObject(h -> h.bucket(s3Settings.bucket()).key(key)
                    .overrideConfiguration(S3ClientFactory.SINGLE_ATTEMPT));
            return head.contentLength() == size && head.eTag() != null && head.eTag().replace("\"", "").equalsIgnoreCase(md5);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** The batch's MD5, computed at the first {@link #get()}: only a 412 or a stale key needs it. */
    public static final class Md5 {
        private final Spool.Batch batch;
        private String hex;

        public Md5(Spool.Batch batch) {
            this.batch = batch;
        }

        public String get() throws IOException {
            if (hex == null) {
                hex = md5(batch);
            }
            return hex;
        }
    }

    static String md5(Spool.Batch batch) throws IOException {
        try (InputStream in = Files.newInputStream(batch.path())) {
            MessageDigest md = MessageDigest.getInstance("MD5");
            byte[] buf = new byte[64 * 1024];
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
    }
}
