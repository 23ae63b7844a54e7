package io.s3logroutes.fetch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import io.s3logroutes.keys.KeyTimes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One fetch position: lists the prefix after the checkpoint, reads the settled objects and appends their events to
 * the output file, exactly once. Read-only on S3.
 *
 * <p>Reads ahead: up to {@code s3logs.fetch.concurrency} objects are read at the same time, into memory within
 * {@code s3logs.fetch.read-ahead-bytes} ({@link ReadAhead}), and written to the output strictly in key order
 * (counter order within a group, {@link FetchPlan}); an object larger than that is read as a stream in its turn.
 * The listing of the next batch runs while a batch is read; it is used when the batch ends at the key it started
 * after.
 *
 * <p>Exactly once across kill -9: the checkpoint moves in steps of several objects ({@link CommitPacer}: every
 * {@code s3logs.fetch.checkpoint-interval}, at the end of every listing batch, before the output moves to another
 * file, after a bad object). Before it moves, the output is flushed and fsynced, and the checkpoint records the output
 * file's length at its key. On start (and after any failure inside a poll) the output file is cut back to that
 * length, which removes whatever a run wrote after its last checkpoint (any number of objects), and reading resumes
 * after the checkpoint's key. Before the first write to a different output file
 * (date tokens in {@code s3logs.fetch.output-file}), the checkpoint is rewritten with the same key and that file's
 * current length, so that the cut always applies to the file being written.
 */
public final class Fetcher {

    private static final Logger LOG = LoggerFactory.getLogger("fetch");

    /** A bad object with {@code s3logs.fetch.on-error=stop}. */
    public static final class HaltedException extends IOException {
        public HaltedException(String message) {
            super(message);
        }
    }

    /** What one poll did; {@code waiting} is the first key left for a later poll because it is too young. */
    public record PollResult(int objects, long events, String waiting) {
    }

    private final S3Client s3;
    private final String bucket;
    private final FetchSettings settings;
    private final Clock clock;
    private final CheckpointStore store;
    private final FailedFile failed;
    private Checkpoint cp;
    private AppendFile out;
    private CommitPacer pacer;
    private ExecutorService pool;
    private ExecutorService lister;
    private boolean warnedOrder;
    private final AtomicLong objectsRead = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong failedObjects = new AtomicLong();
    private volatile Instant lastSuccess;

    public Fetcher(S3Client s3, String bucket, FetchSettings settings, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.settings = settings;
        this.clock = clock;
        this.store = new CheckpointStore(settings.checkpointFile());
        this.failed = new FailedFile(settings.failedFile());
    }

    public FetchSettings settings() {
        return settings;
    }

    /** Reads every settled object after the checkpoint, page after page, while {@code keepGoing} holds. */
    public synchronized PollResult poll(BooleanSupplier keepGoing) throws IOException {
        if (cp == null) {
            cp = store.read();
            recover("restart");
            LOG.info("Fetch: s3://{}/{} after {} into {} ({}, settle {}, checkpoint {}, {} reads in flight)", bucket,
                    settings.prefix(), cp.key().map(k -> "key " + k).orElse("the beginning"), settings.outputFile(),
                    settings.outputFormat(), camelDuration(settings.settle()), store.file(), settings.concurrency());
        }
        int objects = 0;
        long events = 0;
        pacer = new CommitPacer(settings.checkpointInterval(), System.nanoTime());
        Listing next = null;
        try {
            while (keepGoing.getAsBoolean()) {
                FetchPlan.Plan plan = next != null && next.after().equals(cp.key()) ? next.get() : nextBatch(cp.key());
                next = null;
                List<FetchPlan.Step> steps = plan.steps();
                if (plan.waiting() == null && !plan.complete() && !steps.isEmpty()) {
                    // the next listing runs while this batch is read; it is used if the batch ends at its last key
                    Optional<String> after = Optional.ofNullable(steps.get(steps.size() - 1).commitKey());
                    if (after.isPresent()) {
                        next = new Listing(after, CompletableFuture.supplyAsync(() -> nextBatch(after), lister()));
                    }
                }
                try (ReadAhead<FetchPlan.Step> ahead = new ReadAhead<>(steps, this::readAheadSize, this::load,
                        settings.concurrency(), settings.readAheadBytes(), pool())) {
                    int i = 0;
                    // whole groups only: a group always ends at a key the checkpoint may move to
                    while (i < steps.size() && keepGoing.getAsBoolean()) {
                        int j = i;
                        while (j < steps.size() && steps.get(j).group() == steps.get(i).group()) {
                            j++;
                        }
                        events += group(steps.subList(i, j), ahead);
                        objects += j - i;
                        i = j;
                    }
                }
                commitPending();
                if (plan.waiting() != null || plan.complete()) {
                    if (plan.waiting() != null) {
                        LOG.debug("Fetch: waiting for {} to settle ({})", plan.waiting(), settings.settle());
                    }
                    closeOutput();
                    lastSuccess = clock.instant();
                    return new PollResult(objects, events, plan.waiting());
                }
            }
            if (next != null) {
                next.future().cancel(true);
            }
            closeOutput();
            lastSuccess = clock.instant();
            return new PollResult(objects, events, null);
        } catch (IOException | RuntimeException e) {
            if (next != null) {
                next.future().cancel(true);
            }
            try {
                if (e instanceof HaltedException && out != null) {
                    // stop before the bad object: the objects before it are committed
                    commitPending();
                }
            } catch (IOException | RuntimeException c) {
                e.addSuppressed(c);
            }
            try {
                pacer.reset();
                closeOutput();
            } catch (IOException | RuntimeException c) {
                e.addSuppressed(c);
            }
            try {
                recover("failure");
            } catch (IOException | RuntimeException r) {
                e.addSuppressed(r);
            }
            throw e;
        }
    }

    /**
     * Forgets the checkpoint held in memory: the next poll reads the checkpoint file again and cuts the output back
     * to it. Called when the route starts, because another instance may have fetched while this one was not the
     * elected one ({@code s3logs.cluster.kind}), or the file may have been edited while the route was stopped.
     */
    public synchronized void reload() {
        cp = null;
    }

    /** Objects read into the output since this fetcher was made. */
    public long objectsRead() {
        return objectsRead.get();
    }

    /** Bytes of the objects read (as stored in S3). */
    public long bytesRead() {
        return bytesRead.get();
    }

    /** Objects recorded in the failed file (bad objects, objects with lines that are not events). */
    public long failedObjects() {
        return failedObjects.get();
    }

    /** The end of the last poll that finished without a failure, or null. */
    public Instant lastSuccess() {
        return lastSuccess;
    }

    /** The time encoded in the checkpoint's key (the last key read), if it has one. */
    public synchronized Optional<Instant> lastKeyTime() {
        return cp == null ? Optional.empty() : cp.key().flatMap(KeyTimes::timeOf);
    }

    /** The checkpoint as it is now (for tests and logs). */
    public synchronized Checkpoint checkpoint() {
        return cp;
    }

    /** Cuts the output file back to the checkpoint's length: what lies beyond was never checkpointed. */
    private void recover(String why) throws IOException {
        if (cp.file().isEmpty() || !Files.exists(cp.file().get())) {
            return;
        }
        Path f = cp.file().get();
        long size = Files.size(f);
        if (size > cp.length()) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.truncate(cp.length());
                ch.force(true);
            }
            LOG.warn("Fetch: cut {} bytes off {} that were written after the checkpoint {} ({}); they are read again",
                    size - cp.length(), f, cp.key().orElse("(start)"), why);
        } else if (size < cp.length()) {
            LOG.warn("Fetch: {} is {} bytes, shorter than the {} bytes the checkpoint {} records; appending to it",
                    f, size, cp.length(), store.file());
        }
    }

    /** A listing started ahead, after the key {@code after}. */
    private record Listing(Optional<String> after, CompletableFuture<FetchPlan.Plan> future) {
        FetchPlan.Plan get() throws IOException {
            try {
                return future.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IOException("listing failed: " + e.getCause(), e.getCause());
            }
        }
    }

    /** The thread that lists the next batch while the current one is read. */
    private synchronized ExecutorService lister() {
        if (lister == null) {
            ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    r -> {
                        Thread t = new Thread(r, "fetch-list");
                        t.setDaemon(true);
                        return t;
                    });
            p.allowCoreThreadTimeOut(true);
            lister = p;
        }
        return lister;
    }

    // SDK ListObjectsV2, not the aws2-s3 consumer: that re-reads its first page with a prefix and keeps its marker in memory.
    private FetchPlan.Plan nextBatch(Optional<String> startAfter) {
        List<ListedObject> listed = new ArrayList<>();
        String token = null;
        while (true) {
            ListObjectsV2Request.Builder b = ListObjectsV2Request.builder().bucket(bucket).maxKeys(settings.maxKeys());
            if (!settings.prefix().isEmpty()) {
                b.prefix(settings.prefix());
            }
            if (token != null) {
                b.continuationToken(token);
            } else {
                startAfter.ifPresent(b::startAfter);
            }
            ListObjectsV2Response page = s3.listObjectsV2(b.build());
            for (S3Object o : page.contents()) {
                listed.add(new ListedObject(o.key(), o.lastModified(), o.size() == null ? -1 : o.size(), o.eTag()));
            }
            boolean truncated = Boolean.TRUE.equals(page.isTruncated());
            FetchPlan.Plan plan = FetchPlan.plan(listed, truncated, clock.instant(), settings.settle());
            if (!plan.steps().isEmpty() || plan.waiting() != null || !truncated) {
                return plan;
            }
            token = page.nextContinuationToken();
        }
    }

    /** Writes one group (keys that differ only in their counter) to one output file. */
    private long group(List<FetchPlan.Step> steps, ReadAhead<FetchPlan.Step> ahead) throws IOException {
        ListedObject first = steps.get(0).object();
        Path target = targetOf(first);
        if (target == null) {
            // the checkpoint moves below without output: what was written before is committed first
            commitPending();
            for (FetchPlan.Step s : steps) {
                String reason = "no output file for this key: " + noTarget(first);
                try {
                    ahead.next();
                } catch (IOException | RuntimeException e) {
                    reason += " (and reading it failed: " + e + ")";
                }
                bad(s.object(), reason);
                if (s.commitKey() != null) {
                    cp = new Checkpoint(Optional.of(s.commitKey()), cp.file(), cp.length());
                    store.write(cp);
                }
            }
            return 0;
        }
        checkOrder(first);
        if (out == null || !out.path().equals(target)) {
            commitPending();
            closeOutput();
            if (!cp.file().equals(Optional.of(target))) {
                Path dir = target.toAbsolutePath().getParent();
                if (dir != null) {
                    Files.createDirectories(dir);
                }
                cp = cp.withFile(target, Files.exists(target) ? Files.size(target) : 0);
                store.write(cp);
            }
            out = new AppendFile(target);
        }
        long events = 0;
        for (FetchPlan.Step s : steps) {
            events += object(s, ahead);
            pacer.written(s.commitKey(), out.length());
            if (pacer.due(System.nanoTime())) {
                commitPending();
            }
        }
        return events;
    }

    /** The output file of a key, or null when its key gives none (see {@link #noTarget}). */
    private Path targetOf(ListedObject o) {
        try {
            return settings.outputFile().resolve(o.key(), o.time());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private String noTarget(ListedObject o) {
        try {
            settings.outputFile().resolve(o.key(), o.time());
            return "(none)";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The size to reserve for reading a step ahead; -1 (read in its turn, or not at all) when it has no output. */
    private long readAheadSize(FetchPlan.Step s) {
        return targetOf(s.object()) == null ? -1 : s.object().size();
    }

    /** Reads an object whole, ahead of its turn, on a thread of the pool; null when it is larger than listed. */
    private byte[] load(FetchPlan.Step s) throws IOException {
        ListedObject o = s.object();
        // SDK GetObject: the object is read into memory here and decoded in its turn, between listing and checkpoint.
        ResponseInputStream<GetObjectResponse> in = s3.getObject(g -> g.bucket(bucket).key(o.key()));
        try {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, o.size() + 1));
            if (body.length > o.size()) {
                // replaced by a larger object since the listing: read as a stream in its turn
                in.abort();
                return null;
            }
            return body;
        } catch (IOException | RuntimeException e) {
            in.abort();
            throw e;
        } finally {
            in.close();
        }
    }

    /** Makes the output durable, then moves the checkpoint to the last key that may be committed. */
    private void commitPending() throws IOException {
        if (pacer.pendingKey() != null) {
            out.sync();
            cp = cp.withKey(pacer.pendingKey(), out.path(), pacer.pendingLength());
            store.write(cp);
        }
        pacer.committed(System.nanoTime());
    }

    /** Closes the output; what was written and not committed stays in the file, to be committed or cut back. */
    private void closeOutput() throws IOException {
        if (out != null) {
            AppendFile f = out;
            out = null;
            f.close();
        }
    }

    private long object(FetchPlan.Step step, ReadAhead<FetchPlan.Step> ahead) throws IOException {
        ListedObject o = step.object();
        Path target = out.path();
        out.mark();
        ObjectReader.Result r;
        ResponseInputStream<GetObjectResponse> in = null;
        try {
            ReadAhead.Slot<FetchPlan.Step> slot = ahead.next();
            if (slot.item() != step) {
                throw new IllegalStateException("read-ahead out of order: " + slot.item().object().key()
                        + " instead of " + o.key());
            }
            InputStream source;
            if (slot.body() != null) {
                source = new ByteArrayInputStream(slot.body());
            } else {
                // SDK GetObject as a stream: objects too large to be read ahead are read in their turn.
                in = s3.getObject(g -> g.bucket(bucket).key(o.key()));
                source = in;
            }
            r = ObjectReader.read(source, settings.inputFormat(), settings.maxObjectBytes(),
                    new EventWriter(settings.outputFormat(), out.stream()));
        } catch (ObjectReader.BadObjectException | NoSuchKeyException e) {
            abort(in);
            out.rollback();
            bad(o, e instanceof NoSuchKeyException ? "the object disappeared before it was read" : e.getMessage());
            return 0;
        } catch (IOException | RuntimeException e) {
            abort(in);
            out.rollback();
            throw new IOException("cannot fetch s3://" + bucket + "/" + o.key() + " into " + target + ": " + e, e);
        } finally {
            if (in != null) {
                in.close();
            }
        }
        if (r.badLines() > 0) {
            String reason = r.badLines() + " line(s) are not JSON events, written raw and flagged (first: "
                    + r.firstBadLine() + ")";
            LOG.warn("Fetch: {}: {}", o.key(), reason);
            failed.append(clock.instant(), o, reason);
            failedObjects.incrementAndGet();
            pacer.urgent();
            if (settings.onError() == FetchSettings.OnError.STOP) {
                out.rollback();
                throw new HaltedException(o.key() + ": " + reason);
            }
        }
        objectsRead.incrementAndGet();
        bytesRead.addAndGet(Math.max(0, o.size()));
        LOG.info("Fetch: {} -> {} ({} events)", o.key(), target, r.events() + r.badLines());
        return r.events() + r.badLines();
    }

    /** Threads that read objects ahead; idle ones end after a while. */
    private synchronized ExecutorService pool() {
        if (pool == null) {
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor p = new ThreadPoolExecutor(settings.concurrency(), settings.concurrency(), 30,
                    TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "fetch-get-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            p.allowCoreThreadTimeOut(true);
            pool = p;
        }
        return pool;
    }

    private static void abort(ResponseInputStream<?> in) {
        if (in != null) {
            in.abort();
        }
    }

    private void bad(ListedObject o, String reason) throws IOException {
        LOG.error("Fetch: bad object {} ({} bytes, ETag {}): {}; recorded in {}", o.key(), o.size(), o.eTag(), reason,
                failed.file());
        failed.append(clock.instant(), o, reason);
        failedObjects.incrementAndGet();
        if (pacer != null) {
            pacer.urgent();
        }
        if (settings.onError() == FetchSettings.OnError.STOP) {
            throw new HaltedException(o.key() + ": " + reason);
        }
    }

    static String camelDuration(java.time.Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** Key order must be time order under the prefix, or a late key could sort before the checkpoint. */
    private void checkOrder(ListedObject o) {
        if (warnedOrder || cp.key().isEmpty()) {
            return;
        }
        Optional<Instant> last = KeyTimes.timeOf(cp.key().get());
        Optional<Instant> next = KeyTimes.timeOf(o.key());
        if (last.isPresent() && next.isPresent() && next.get().isBefore(last.get())) {
            warnedOrder = true;
            LOG.warn("Fetch: key {} ({}) follows key {} ({}) under prefix '{}': key order is not time order here,"
                    + " so an object arriving late could sort before the checkpoint; give each writer its own prefix"
                    + " (s3logs.fetch.prefix=SERVER01/)", o.key(), next.get(), cp.key().get(), last.get(),
                    settings.prefix());
        }
    }
}
