package io.s3logroutes.collapse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import io.s3logroutes.config.Props;
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
 * UploadPartCopy. Memory is about three parts whatever the output size; nothing is written to local disk. An output
 * that would need more than S3's 10,000 parts gets larger parts ({@link #partPlan}).
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

    /** The part size of one output and where each input's bytes go. */
    record PartPlan(long partSize, List<Action> actions) {
    }

    /** The most parts of one multipart upload that S3 accepts. */
    static final int MAX_PARTS = 10_000;

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
    private final int maxParts;

    record Storage(java.util.Optional<StorageClass> storageClass) {
    }

    Concatenator(S3Client s3, S3Settings settings, long partSize, int concurrency, Storage storage, ExecutorService pool) {
        this(s3, settings, partSize, concurrency, storage, pool, () -> false);
    }

    /** @param stopping true once the application stops: {@link #stage} then aborts its upload before the next read */
    Concatenator(S3Client s3, S3Settings settings, long partSize, int concurrency, Storage storage, ExecutorService pool,
                 java.util.function.BooleanSupplier stopping) {
        this(s3, settings, partSize, concurrency, storage, pool, stopping, MAX_PARTS);
    }

    /** @param maxParts the most parts per output: S3's 10,000, fewer in tests that make the part size grow */
    Concatenator(S3Client s3, S3Settings settings, long partSize, int concurrency, Storage storage, ExecutorService pool,
                 java.util.function.BooleanSupplier stopping, int maxParts) {
        this.maxParts = maxParts;
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
        return plan(inputs, multipart, partSize, CollapseSettings.MIN_PART);
    }

    /** The plan with only inputs of at least {@code copyMin} bytes copied server-side. Pure. */
    static List<Action> plan(List<Manifest.Input> inputs, boolean multipart, long partSize, long copyMin) {
        List<Action> out = new ArrayList<>();
        actions(inputs, multipart, partSize, copyMin).forEachRemaining(out::add);
        return out;
    }

    /**
     * The plan of {@link #plan(List, boolean, long, long)}, one action at a time, so that the plan of a million
     * inputs is never held whole. Pure.
     */
    static Iterator<Action> actions(List<Manifest.Input> inputs, boolean multipart, long partSize, long copyMin) {
        return new Iterator<>() {
            private int i;
            private long pos;
            private Manifest.Input cur;
            private long off;

            @Override
            public boolean hasNext() {
                return cur != null || i < inputs.size();
            }

            @Override
            public Action next() {
                if (cur == null) {
                    if (i >= inputs.size()) {
                        throw new java.util.NoSuchElementException();
                    }
                    Manifest.Input in = inputs.get(i++);
                    if (multipart && in.size() >= copyMin && in.size() <= CollapseSettings.MAX_PART
                            && (pos == 0 || pos >= CollapseSettings.MIN_PART)) {
                        pos = 0;
                        return new Copy(in);
                    }
                    pos = (pos + in.size()) % partSize;
                    if (in.size() == 0) {
                        return new Fetch(in, 0, 0);
                    }
                    cur = in;
                    off = 0;
                }
                Fetch f = new Fetch(cur, off, Math.min(partSize, cur.size() - off));
                off += partSize;
                if (off >= cur.size()) {
                    cur = null;
                }
                return f;
            }
        };
    }

    /** The number of parts the multipart upload of {@code plan} makes with parts of {@code partSize}. Pure. */
    static int parts(List<Action> plan, long partSize) {
        return parts(plan.iterator(), partSize);
    }

    static int parts(Iterator<Action> plan, long partSize) {
        int parts = 0;
        long pos = 0;
        while (plan.hasNext()) {
            Action a = plan.next();
            if (a instanceof Copy) {
                parts += pos > 0 ? 2 : 1;
                pos = 0;
            } else {
                pos += ((Fetch) a).length();
                if (pos >= partSize) {
                    parts++;
                    pos -= partSize;
                }
            }
        }
        return parts + (pos > 0 || parts == 0 ? 1 : 0);
    }

    /**
     * The part size and plan of one output. Pure. The configured part size, when its plan fits in
     * {@code maxParts} parts (every output up to {@code maxParts} times the part size of small inputs does);
     * otherwise the smallest part size in whole MiB, from the output size divided by {@code maxParts} up by an
     * eighth at a time, whose plan fits when only inputs of at least one part are copied server-side. A part is
     * buffered in memory, so a 5 TiB output takes parts of about 525 MiB.
     *
     * @throws CollapseException when no part size up to 1 GiB fits (nothing is uploaded)
     */
    static PartPlan partPlan(List<Manifest.Input> inputs, boolean multipart, long partSize, int maxParts) {
        PartChoice c = partChoice(inputs, multipart, partSize, maxParts);
        return new PartPlan(c.partSize(), plan(inputs, multipart, c.partSize(), c.copyMin()));
    }

    /** The part size of {@link #partPlan} and the smallest input copied server-side with it. */
    record PartChoice(long partSize, long copyMin) {
    }

    /** The choice of {@link #partPlan}, counted over the streamed plan (never held whole). Pure. */
    static PartChoice partChoice(List<Manifest.Input> inputs, boolean multipart, long partSize, int maxParts) {
        if (!multipart || parts(actions(inputs, multipart, partSize, CollapseSettings.MIN_PART), partSize) <= maxParts) {
            return new PartChoice(partSize, CollapseSettings.MIN_PART);
        }
        long total = inputs.stream().mapToLong(Manifest.Input::size).sum();
        long p = Math.max(partSize, roundUpMiB((total + maxParts - 1) / maxParts));
        while (p <= CollapseSettings.MAX_PART_SETTING) {
            if (parts(actions(inputs, true, p, p), p) <= maxParts) {
                return new PartChoice(p, p);
            }
            p = roundUpMiB(p + p / 8);
        }
        throw new CollapseException("an output of " + inputs.size() + " inputs, " + total + " bytes, needs more than "
                + maxParts + " parts even of " + Props.formatSize(CollapseSettings.MAX_PART_SETTING)
                + "; nothing uploaded (set s3logs.collapse.max-size below 5TiB to split the period)");
    }

    private static long roundUpMiB(long n) {
        return (n + (1L << 20) - 1) >> 20 << 20;
    }

    /**
     * Uploads the concatenation of {@code inputs} to {@code key} without completing it.
     *
     * @param period     the period's label, for the errors
     * @param objectDone called once per input, in order, with its size (progress)
     * @throws CollapseException when gzip and plain inputs are mixed, an input changed or vanished since it was
     *                           listed, the bytes read do not add up to the listed sizes, or the application
     *                           stops; the upload is aborted
     */
    Staged stage(String period, String key, List<Manifest.Input> inputs, Consumer<Manifest.Input> objectDone) {
        long total = inputs.stream().mapToLong(Manifest.Input::size).sum();
        boolean multipart = total >= CollapseSettings.MIN_PART;
        PartChoice pc = partChoice(inputs, multipart, partSize, maxParts);
        Iterator<Action> plan = actions(inputs, multipart, pc.partSize(), pc.copyMin());
        long partSize = pc.partSize();
        if (partSize != this.partSize) {
            LOG.info("collapse {}: {} ({} bytes) is uploaded in parts of {}, not {}, to stay within {} parts", period,
                    key, total, Props.formatSize(partSize), Props.formatSize(this.partSize), maxParts);
        }
        KindCheck kinds = new KindCheck();
        Writer w = multipart ? new Multipart(key, kinds, partSize) : new Single(key, (int) total, kinds);
        Deque<InFlight> window = new ArrayDeque<>();
        long streamed = 0;
        try {
            Action ahead = null;
            long windowBytes = 0;
            while (true) {
                while (ahead != null || plan.hasNext()) {
                    Action a = ahead != null ? ahead : plan.next();
                    ahead = null;
                    if (!window.isEmpty() && (window.size() >= concurrency || windowBytes + fetchLength(a) > partSize)) {
                        ahead = a;
                        break;
                    }
                    windowBytes += fetchLength(a);
                    window.add(new InFlight(a, pool.submit(() -> read(a))));
                }
                if (window.isEmpty()) {
                    break;
                }
                InFlight head = window.poll();
                Action a = head.action();
                if (stopping.getAsBoolean()) {
                    head.future().cancel(true);
                    throw new CollapseException("stopped by the shutdown before " + a.input().key() + " ("
                            + streamed + " of " + total + " bytes of " + key + " uploaded, upload aborted); none of its"
                            + " inputs was deleted, the next run collapses them");
                }
                byte[] data;
                try {
                    data = await(head.future(), a.input().key());
                } catch (SizeMismatch e) {
                    throw new CollapseException("period " + period + ": input " + e.input.key() + " is " + e.actual
                            + " bytes but was listed as " + e.input.size() + " bytes, so the " + inputs.size()
                            + " inputs of " + key + " do not add up to their listed sum of " + total + " bytes;"
                            + " upload aborted, nothing deleted", e);
                }
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
                throw new CollapseException("period " + period + ": " + streamed + " bytes were read for " + key
                        + " but its " + inputs.size() + " listed inputs sum to " + total + " bytes; upload aborted,"
                        + " nothing deleted");
            }
            w.finishParts();
            return new Staged(key, streamed, kinds.gzip(), w);
        } catch (RuntimeException e) {
            window.forEach(f -> f.future().cancel(true));
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
        heads(inputs, (in, head) -> kinds.check(in.key(), head));
        return kinds.gzip();
    }

    /**
     * Reads the first two bytes of every non-empty input (with {@code on-mix=split}): input key to {@code true} for
     * gzip, {@code false} for plain; empty inputs are absent.
     */
    Map<String, Boolean> kinds(List<Manifest.Input> inputs) {
        Map<String, Boolean> out = new HashMap<>();
        heads(inputs, (in, head) -> out.put(in.key(), isGzip(head)));
        return out;
    }

    /** The first bytes of each non-empty input, in order, read {@code concurrency} at a time with If-Match. */
    private void heads(List<Manifest.Input> inputs, java.util.function.BiConsumer<Manifest.Input, byte[]> each) {
        Deque<InFlight> window = new ArrayDeque<>();
        try {
            int next = 0;
            while (true) {
                while (next < inputs.size() && window.size() < concurrency) {
                    Manifest.Input n = inputs.get(next++);
                    if (n.size() > 0) {
                        Copy c = new Copy(n);
                        window.add(new InFlight(c, pool.submit(() -> read(c))));
                    }
                }
                if (window.isEmpty()) {
                    return;
                }
                InFlight head = window.poll();
                Manifest.Input in = head.action().input();
                each.accept(in, await(head.future(), in.key()));
            }
        } finally {
            window.forEach(f -> f.future().cancel(true));
        }
    }

    private record InFlight(Action action, Future<byte[]> future) {
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
            if (e.getCause() instanceof Error err) {
                throw err;
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
            Long actual = whole ? body.response().contentLength() : totalOf(body.response().contentRange());
            if (actual != null && actual != in.size()) {
                throw new SizeMismatch(in, actual);
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

    /** The object size of a ranged answer: the total of {@code Content-Range: bytes 0-1/12345}; null if absent. */
    static Long totalOf(String contentRange) {
        int slash = contentRange == null ? -1 : contentRange.lastIndexOf('/');
        if (slash < 0 || contentRange.endsWith("*")) {
            return null;
        }
        try {
            return Long.parseLong(contentRange.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An input whose GET says it is {@code actual} bytes, where the listing said {@code input.size()}. */
    static final class SizeMismatch extends CollapseException {
        final transient Manifest.Input input;
        final long actual;

        SizeMismatch(Manifest.Input input, long actual) {
            super("input " + input.key() + " is " + actual + " bytes but was listed as " + input.size()
                    + " bytes; nothing deleted");
            this.input = input;
            this.actual = actual;
        }
    }

    private static CollapseException changed(Manifest.Input in, String now) {
        return new CollapseException("input " + in.key() + " changed since it was listed (If-Match " + in.etag()
                + " failed" + ("?".equals(now) ? "" : ", ETag now " + now) + "); nothing deleted");
    }

    static boolean sameEtag(String a, String b) {
        return a.replace("\"", "").equals(b.replace("\"", ""));
    }

    /** Whether the first bytes of an object are the gzip magic {@code 1f 8b}. */
    static boolean isGzip(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    /** Gzip or plain by the magic bytes; the first non-empty input decides, a different one is an error. */
    static final class KindCheck {
        private String firstKey;
        private Boolean gzip;

        void check(String key, byte[] head) {
            if (head.length == 0) {
                return;
            }
            boolean g = isGzip(head);
            if (gzip == null) {
                gzip = g;
                firstKey = key;
            } else if (gzip != g) {
                throw new CollapseException(key + " is " + (g ? "gzip" : "not gzip") + ", but " + firstKey
                        + " before it is " + (gzip ? "gzip" : "not gzip") + ": gzip and plain objects are never mixed"
                        + " (s3logs.collapse.on-mix=split writes them to two outputs); nothing uploaded, nothing deleted");
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
        private final byte[] buf;
        private final List<CompletedPart> parts = new ArrayList<>();
        private String uploadId;
        private int pos;
        private boolean done;

        Multipart(String key, KindCheck kinds, long partSize) {
            this.key = key;
            this.kinds = kinds;
            this.buf = new byte[(int) partSize];
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
