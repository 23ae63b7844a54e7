package io.s3logroutes.collapse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import io.s3logroutes.config.S3Settings;
import io.s3logroutes.s3.S3Errors;
import io.s3logroutes.s3.Sse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * Concatenates inputs, in the given order, into one new object, streamed: inputs are read (with {@code If-Match}
 * their listed ETag) in pieces of at most one part, a bounded number at a time, into one part buffer that is
 * uploaded whenever it is full. Inputs of 5 MiB or more that start on a part boundary are copied server-side with
 * UploadPartCopy. Memory is about three parts whatever the output size; nothing is written to local disk.
 *
 * <p>The multipart upload uses the AWS SDK {@link S3Client}: Camel's aws2-s3 producer has no UploadPartCopy, and its multiPartUpload truncates (CAMEL-24153).
 */
final class Concatenator {

    private static final Logger LOG = LoggerFactory.getLogger(Concatenator.class);

    /** One step of the plan: read bytes of an input, or copy a whole input server-side. */
    sealed interface Action permits Fetch, Copy {
        Manifest.Input input();
    }

    record Fetch(Manifest.Input input, long offset, long length) implements Action {
        boolean whole() {
            return offset == 0 && length == input.size();
        }
    }

    record Copy(Manifest.Input input) implements Action {
    }

    /** What was uploaded (not yet completed): bytes sent, the content kind, and how to complete it. */
    record Staged(String key, long bytes, boolean gzip, Completer completer) {
    }

    interface Completer {
        /** Completes the output with {@code If-None-Match: *}; {@code abort} drops it. */
        void complete();

        void abort();
    }

    private final S3Client s3;
    private final S3Settings settings;
    private final long partSize;
    private final int concurrency;
    private final Storage storage;
    private final ExecutorService pool;
    private final java.util.function.BooleanSupplier stopping;

    record Storage(java.util.Optional<StorageClass> storageClass) {
    }

    Concatenator(S3Client s3, S3Settings settings, long partSize, int concurrency, Storage storage, ExecutorService pool) {
        this(s3, settings, partSize, concurrency, storage, pool, () -> false);
    }

    /** @param stopping true once the application stops: {@link #stage} then aborts its upload before the next read */
    Concatenator(S3Client s3, S3Settings settings, long partSize, int concurrency, Storage storage, ExecutorService pool,
                 java.util.function.BooleanSupplier stopping) {
        this.stopping = stopping;
        this.s3 = s3;
        this.settings = settings;
        this.partSize = partSize;
        this.concurrency = concurrency;
        this.storage = storage;
        this.pool = pool;
    }

    /**
     * The plan: where each input's bytes go. Pure. An input is copied server-side when it is at least 5 MiB, at
     * most 5 GiB, and the part buffer is empty or already holds at least 5 MiB (then it is flushed first);
     * otherwise it is read in pieces of at most one part.
     */
    static List<Action> plan(List<Manifest.Input> inputs, boolean multipart, long partSize) {
        List<Action> out = new ArrayList<>();
        long pos = 0;
        for (Manifest.Input in : inputs) {
            if (multipart && in.size() >= CollapseSettings.MIN_PART && in.size() <= CollapseSettings.MAX_PART
                    && (pos == 0 || pos >= CollapseSettings.MIN_PART)) {
                out.add(new Copy(in));
                pos = 0;
                continue;
            }
            if (in.size() == 0) {
                out.add(new Fetch(in, 0, 0));
            }
            for (long off = 0; off < in.size(); off += partSize) {
                out.add(new Fetch(in, off, Math.min(partSize, in.size() - off)));
            }
            pos = (pos + in.size()) % partSize;
        }
        return out;
    }

    /**
     * Uploads the concatenation of {@code inputs} to {@code key} without completing it.
     *
     * @param objectDone called once per input, in order, with its size (progress)
     * @throws CollapseException when gzip and plain inputs are mixed, an input changed or vanished since it was
     *                           listed, the byte count differs from the listed sizes, or the application stops;
     *                           the upload is aborted
     */
    Staged stage(String key, List<Manifest.Input> inputs, Consumer<Manifest.Input> objectDone) {
        long total = inputs.stream().mapToLong(Manifest.Input::size).sum();
        boolean multipart = total >= CollapseSettings.MIN_PART;
        List<Action> plan = plan(inputs, multipart, partSize);
        KindCheck kinds = new KindCheck();
        Writer w = multipart ? new Multipart(key, kinds) : new Single(key, (int) total, kinds);
        Deque<Future<byte[]>> window = new ArrayDeque<>();
        long streamed = 0;
        try {
            int next = 0;
            long windowBytes = 0;
            for (int i = 0; i < plan.size(); i++) {
                if (stopping.getAsBoolean()) {
                    throw new CollapseException("stopped by the shutdown before " + plan.get(i).input().key() + " ("
                            + streamed + " of " + total + " bytes of " + key + " uploaded, upload aborted); none of its"
                            + " inputs was deleted, the next run collapses them");
                }
                while (next < plan.size() && (window.isEmpty()
                        || window.size() < concurrency && windowBytes + fetchLength(plan.get(next)) <= partSize)) {
                    Action a = plan.get(next++);
                    windowBytes += fetchLength(a);
                    window.add(pool.submit(() -> read(a)));
                }
                Action a = plan.get(i);
                byte[] data = await(window.poll(), a.input().key());
                windowBytes -= fetchLength(a);
                if (a instanceof Copy c) {
                    kinds.check(c.input().key(), data);
                    ((Multipart) w).copy(c.input());
                    streamed += c.input().size();
                    objectDone.accept(c.input());
                } else {
                    Fetch f = (Fetch) a;
                    if (f.offset() == 0) {
                        kinds.check(f.input().key(), data);
                    }
                    w.write(data);
                    streamed += data.length;
                    if (f.offset() + f.length() == f.input().size()) {
                        objectDone.accept(f.input());
                    }
                }
            }
            if (streamed != total) {
                throw new CollapseException("collapsed " + streamed + " bytes for " + key + " but the listed inputs"
                        + " sum to " + total + " bytes");
            }
            w.finishParts();
            return new Staged(key, streamed, kinds.gzip(), w);
        } catch (RuntimeException e) {
            window.forEach(f -> f.cancel(true));
            w.abort();
            throw e;
        }
    }

    /**
     * Reads the first two bytes of every non-empty input (gzip magic), for a period that is split and for the dry
     * run; true when they are gzip.
     *
     * @throws CollapseException when gzip and plain inputs are mixed (naming the first offending key)
     */
    boolean checkKinds(List<Manifest.Input> inputs) {
        KindCheck kinds = new KindCheck();
        Deque<Future<byte[]>> window = new ArrayDeque<>();
        List<Manifest.Input> nonEmpty = inputs.stream().filter(i -> i.size() > 0).toList();
        try {
            int next = 0;
            for (Manifest.Input in : nonEmpty) {
                while (next < nonEmpty.size() && window.size() < concurrency) {
                    Manifest.Input n = nonEmpty.get(next++);
                    window.add(pool.submit(() -> read(new Copy(n))));
                }
                kinds.check(in.key(), await(window.poll(), in.key()));
            }
            return kinds.gzip();
        } finally {
            window.forEach(f -> f.cancel(true));
        }
    }

    private static long fetchLength(Action a) {
        return a instanceof Fetch f ? f.length() : 2;
    }

    private static byte[] await(Future<byte[]> f, String key) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CollapseException("interrupted while reading " + key, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new CollapseException("cannot read " + key + ": " + e.getCause(), e.getCause());
        }
    }

    /** GET with {@code If-Match}: a Fetch reads its range, a Copy reads the first two bytes (gzip magic). */
    private byte[] read(Action a) {
        Manifest.Input in = a.input();
        long off = a instanceof Fetch f ? f.offset() : 0;
        long len = a instanceof Fetch f ? f.length() : Math.min(2, in.size());
        boolean whole = a instanceof Fetch f && f.whole();
        GetObjectRequest.Builder b = GetObjectRequest.builder().bucket(settings.bucket()).key(in.key()).ifMatch(in.etag());
        if (!whole) {
            if (len == 0) {
                return new byte[0];
            }
            b.range("bytes=" + off + "-" + (off + len - 1));
        }
        try (ResponseInputStream<GetObjectResponse> body = s3.getObject(b.build())) {
            String etag = body.response().eTag();
            if (etag != null && !sameEtag(etag, in.etag())) {
                throw changed(in, etag);
            }
            byte[] data = body.readNBytes((int) len + 1);
            if (data.length != len) {
                throw new CollapseException("input " + in.key() + " returned " + data.length + " bytes at offset " + off
                        + " where " + len + " were expected (listed size " + in.size() + ")");
            }
            return data;
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw changed(in, "?");
            }
            if (e.statusCode() == 404) {
                throw new CollapseException("input " + in.key() + " disappeared since it was listed; nothing deleted", e);
            }
            throw new CollapseException("cannot read input " + in.key() + ": " + S3Errors.describe(e), e);
        } catch (IOException e) {
            throw new CollapseException("cannot read input " + in.key() + ": " + e.getMessage(), e);
        }
    }

    private static CollapseException changed(Manifest.Input in, String now) {
        return new CollapseException("input " + in.key() + " changed since it was listed (If-Match " + in.etag()
                + " failed" + ("?".equals(now) ? "" : ", ETag now " + now) + "); nothing deleted");
    }

    static boolean sameEtag(String a, String b) {
        return a.replace("\"", "").equals(b.replace("\"", ""));
    }

    /** Gzip or plain by the magic bytes; the first non-empty input decides, a different one is an error. */
    static final class KindCheck {
        private String firstKey;
        private Boolean gzip;

        void check(String key, byte[] head) {
            if (head.length == 0) {
                return;
            }
            boolean g = head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
            if (gzip == null) {
                gzip = g;
                firstKey = key;
            } else if (gzip != g) {
                throw new CollapseException(key + " is " + (g ? "gzip" : "not gzip") + ", but " + firstKey
                        + " before it is " + (gzip ? "gzip" : "not gzip") + ": gzip and plain objects are never mixed;"
                        + " nothing uploaded, nothing deleted");
            }
        }

        boolean gzip() {
            return Boolean.TRUE.equals(gzip);
        }
    }

    private interface Writer extends Completer {
        void write(byte[] data);

        void finishParts();
    }

    private String contentType(boolean gzip) {
        return gzip ? "application/gzip" : "text/plain; charset=utf-8";
    }

    /** Outputs under 5 MiB: one PutObject with {@code If-None-Match: *} at completion. */
    private final class Single implements Writer {
        private final String key;
        private final byte[] buf;
        private final KindCheck kinds;
        private int pos;

        Single(String key, int size, KindCheck kinds) {
            this.key = key;
            this.buf = new byte[size];
            this.kinds = kinds;
        }

        @Override
        public void write(byte[] data) {
            if (pos + data.length > buf.length) {
                throw new CollapseException("inputs of " + key + " are larger than listed; nothing uploaded");
            }
            System.arraycopy(data, 0, buf, pos, data.length);
            pos += data.length;
        }

        @Override
        public void finishParts() {
        }

        @Override
        public void complete() {
            boolean gzip = kinds.gzip();
            PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(settings.bucket()).key(key)
                    .contentType(contentType(gzip));
            if (settings.conditionalWrites()) {
                b.ifNoneMatch("*");
            }
            storage.storageClass().ifPresent(b::storageClass);
            Sse.on(settings, b);
            s3.putObject(b.build(), RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buf, 0, pos), pos,
                    contentType(gzip)));
        }

        @Override
        public void abort() {
        }
    }

    /** Outputs of 5 MiB or more: a multipart upload of {@code part-size} parts. */
    private final class Multipart implements Writer {
        private final String key;
        private final KindCheck kinds;
        private final byte[] buf = new byte[(int) partSize];
        private final List<CompletedPart> parts = new ArrayList<>();
        private String uploadId;
        private int pos;
        private boolean done;

        Multipart(String key, KindCheck kinds) {
            this.key = key;
            this.kinds = kinds;
        }

        /** Started at the first part, when the first input's magic bytes have set the content type. */
        private void start() {
            if (uploadId != null) {
                return;
            }
            CreateMultipartUploadRequest.Builder b = CreateMultipartUploadRequest.builder().bucket(settings.bucket())
                    .key(key).contentType(contentType(kinds.gzip()));
            storage.storageClass().ifPresent(b::storageClass);
            Sse.on(settings, b);
            this.uploadId = s3.createMultipartUpload(b.build()).uploadId();
        }

        @Override
        public void write(byte[] data) {
            int off = 0;
            while (off < data.length) {
                int n = Math.min(buf.length - pos, data.length - off);
                System.arraycopy(data, off, buf, pos, n);
                pos += n;
                off += n;
                if (pos == buf.length) {
                    flush();
                }
            }
        }

        void copy(Manifest.Input in) {
            start();
            if (pos > 0) {
                flush();
            }
            int number = parts.size() + 1;
            try {
                String etag = s3.uploadPartCopy(r -> r.sourceBucket(settings.bucket()).sourceKey(in.key())
                        .copySourceIfMatch(in.etag()).destinationBucket(settings.bucket()).destinationKey(key)
                        .uploadId(uploadId).partNumber(number)).copyPartResult().eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            } catch (S3Exception e) {
                if (e.statusCode() == 412) {
                    throw changed(in, "?");
                }
                throw new CollapseException("cannot copy input " + in.key() + " into " + key + ": "
                        + S3Errors.describe(e), e);
            }
        }

        private void flush() {
            start();
            int number = parts.size() + 1;
            int n = pos;
            String etag = s3.uploadPart(r -> r.bucket(settings.bucket()).key(key).uploadId(uploadId).partNumber(number)
                    .contentLength((long) n), RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buf, 0, n), n,
                    "application/octet-stream")).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            pos = 0;
        }

        @Override
        public void finishParts() {
            if (pos > 0 || parts.isEmpty()) {
                flush();
            }
        }

        @Override
        public void complete() {
            s3.completeMultipartUpload(r -> {
                r.bucket(settings.bucket()).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts));
                if (settings.conditionalWrites()) {
                    r.ifNoneMatch("*");
                }
            });
            done = true;
        }

        @Override
        public void abort() {
            if (done || uploadId == null) {
                return;
            }
            try {
                s3.abortMultipartUpload(r -> r.bucket(settings.bucket()).key(key).uploadId(uploadId));
            } catch (RuntimeException e) {
                LOG.warn("cannot abort the multipart upload {} of {}: {} (the next run aborts it)", uploadId, key,
                        S3Errors.describe(e));
            }
        }
    }
}
