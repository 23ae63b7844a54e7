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
 * <p>The AWS SDK client is called directly: the aws2-s3 producer of Camel 4.18 sends no {@code If-None-Match} on
 * PutObject and cannot tell a 412 apart from other failures.
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
     * @param previous the key of an earlier failed attempt of this batch, or {@code null}
     * @return the key the batch was stored under; the caller keeps it for the next attempt if this one throws
     */
    public KeyAssigner.Assigned upload(Spool.Batch batch, KeyAssigner.Assigned previous,
                                       java.util.function.Consumer<KeyAssigner.Assigned> attempt) throws IOException {
        String suffix = suffix(batch);
        Instant now = clock.instant();
        // the MD5 is needed only to recognise this batch in S3 after a 412 or an old key: read the file for it then
        Md5 md5 = new Md5(batch);
        long size = batch.size();
        KeyAssigner.Assigned key = previous;
        if (key != null && Duration.between(key.time(), now).compareTo(settings.maxUploadDelay()) > 0) {
            if (isSame(key.key(), md5.get(), size)) {
                return key;
            }
            LOG.warn("Batch {} still not stored {} after the time in key {}: it gets a fresh key",
                    batch.path().getFileName(), settings.maxUploadDelay(), key.key());
            key = null;
        }
        if (key == null) {
            key = keys.assign(now, suffix);
        }
        for (int taken = 0; taken < MAX_TAKEN; taken++) {
            attempt.accept(key);
            try {
                put(batch, key.key(), size);
                return key;
            } catch (S3Exception e) {
                if (e.statusCode() != 412) {
                    throw e;
                }
                if (isSame(key.key(), md5.get(), size)) {
                    LOG.info("Batch {} was already stored as {} by an earlier attempt", batch.path().getFileName(), key.key());
                    return key;
                }
                key = keys.next(key);
            }
        }
        throw new IOException("no free key for batch " + batch.path() + " after " + MAX_TAKEN + " taken keys");
    }

    /** A key for a batch about to be uploaded; batches given keys one after the other get keys in that order. */
    public KeyAssigner.Assigned assign(Spool.Batch batch) {
        return keys.assign(clock.instant(), suffix(batch));
    }

    private String suffix(Spool.Batch batch) {
        return batch.gzip() ? settings.gzipSuffix() : "";
    }

    private void put(Spool.Batch batch, String key, long size) {
        PutObjectRequest.Builder b = PutObjectRequest.builder()
                .bucket(s3Settings.bucket())
                .key(key)
                .contentType(batch.format().contentType())
                .contentLength(size);
        if (batch.gzip()) {
            b.contentEncoding("gzip");
        }
        if (s3Settings.conditionalWrites()) {
            b.ifNoneMatch("*");
        }
        if (!settings.storageClass().isEmpty()) {
            b.storageClass(settings.storageClass());
        }
        b.overrideConfiguration(S3ClientFactory.SINGLE_ATTEMPT);
        Sse.on(s3Settings, b);
        s3.putObject(b.build(), RequestBody.fromFile(batch.path()));
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

    /** The batch's MD5, computed at the first {@link #get()}. */
    private static final class Md5 {
        private final Spool.Batch batch;
        private String hex;

        Md5(Spool.Batch batch) {
            this.batch = batch;
        }

        String get() throws IOException {
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
