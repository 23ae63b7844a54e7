package io.s3logroutes.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Reads back what landed in a bucket, for assertions. */
public final class S3Read {

    public record Obj(String key, byte[] body, String contentType, String contentEncoding, String storageClass) {
        public boolean isGzip() {
            return body.length >= 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b;
        }

        /** The body, gunzipped when it is gzip (all members). */
        public byte[] content() {
            if (!isGzip()) {
                return body;
            }
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("object " + key + " is not valid gzip", e);
            }
        }

        public String text() {
            return new String(content(), StandardCharsets.UTF_8);
        }

        public List<String> lines() {
            String t = text();
            if (t.isEmpty()) {
                return List.of();
            }
            return List.of(t.substring(0, t.length() - (t.endsWith("\n") ? 1 : 0)).split("\n", -1));
        }
    }

    private S3Read() {
    }

    public static List<String> keys(S3Client s3, String bucket) {
        List<String> keys = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            keys.add(o.key());
        }
        return keys;
    }

    /**
     * Every object with its body, in key order. S3Proxy's store can list a key that cannot be read: an object a
     * moment before it is served, or the temporary name of an upload still under way, which is gone once the upload
     * ends. On NoSuchKey the bucket is listed and read again, for at most 10 s; after that the NoSuchKeyException is
     * thrown, so that a caller's own wait that ignores it goes on.
     */
    public static List<Obj> all(S3Client s3, String bucket) {
        try {
            return org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .pollInterval(java.time.Duration.ofMillis(100))
                    .ignoreExceptionsInstanceOf(software.amazon.awssdk.services.s3.model.NoSuchKeyException.class)
                    .until(() -> readAll(s3, bucket), x -> true);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return readAll(s3, bucket);
        }
    }

    private static List<Obj> readAll(S3Client s3, String bucket) {
        List<Obj> out = new ArrayList<>();
        for (String k : keys(s3, bucket)) {
            var r = s3.getObjectAsBytes(b -> b.bucket(bucket).key(k));
            var head = s3.headObject(b -> b.bucket(bucket).key(k));
            // the encoding as stored, from HeadObject
            out.add(new Obj(k, r.asByteArray(), r.response().contentType(), head.contentEncoding(),
                    head.storageClassAsString()));
        }
        return out;
    }

    /** Every line of every object, in key order. */
    public static List<String> lines(S3Client s3, String bucket) {
        List<String> out = new ArrayList<>();
        for (Obj o : all(s3, bucket)) {
            out.addAll(o.lines());
        }
        return out;
    }
}
