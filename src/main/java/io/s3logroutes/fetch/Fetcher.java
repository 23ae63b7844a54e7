package io.s3logroutes.fetch;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * <p>Exactly once across kill -9: an object's events are written, flushed and fsynced before the checkpoint moves
 * to its key, and the checkpoint records the output file's length at that moment. On start (and after any failure
 * inside a poll) the output file is cut back to that length, which removes whatever a run wrote after its last
 * checkpoint, and reading resumes after the checkpoint's key. Before the first write to a different output file
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
            LOG.info("Fetch: s3://{}/{} after {} into {} ({}, settle {}, checkpoint {})", bucket, settings.prefix(),
                    cp.key().map(k -> "key " + k).orElse("the beginning"), settings.outputFile(),
                    settings.outputFormat(), camelDuration(settings.settle()),
                    store.file());
        }
        int objects = 0;
        long events = 0;
        try {
            while (keepGoing.getAsBoolean()) {
                FetchPlan.Plan plan = nextBatch();
                List<FetchPlan.Step> steps = plan.steps();
                int i = 0;
                while (i < steps.size() && keepGoing.getAsBoolean()) {
                    int j = i;
                    while (j < steps.size() && steps.get(j).group() == steps.get(i).group()) {
                        j++;
                    }
                    events += group(steps.subList(i, j));
                    objects += j - i;
                    i = j;
                }
                if (plan.waiting() != null || plan.complete()) {
                    if (plan.waiting() != null) {
                        LOG.debug("Fetch: waiting for {} to settle ({})", plan.waiting(), settings.settle());
                    }
                    lastSuccess = clock.instant();
                    return new PollResult(objects, events, plan.waiting());
                }
            }
            lastSuccess = clock.instant();
            return new PollResult(objects, events, null);
        } catch (IOException | RuntimeException e) {
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

    // SDK ListObjectsV2, not the aws2-s3 consumer: that re-reads its first page with a prefix and keeps its marker in memory.
    private FetchPlan.Plan nextBatch() {
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
                cp.key().ifPresent(b::startAfter);
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
    private long group(List<FetchPlan.Step> steps) throws IOException {
        ListedObject first = steps.get(0).object();
        Path target;
        try {
            target = settings.outputFile().resolve(first.key(), first.time());
        } catch (IllegalArgumentException e) {
            for (FetchPlan.Step s : steps) {
                bad(s.object(), "no output file for this key: " + e.getMessage());
                commit(s, cp.file().orElse(null));
            }
            return 0;
        }
        checkOrder(first);
        if (!cp.file().equals(Optional.of(target))) {
            Path dir = target.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            cp = cp.withFile(target, Files.exists(target) ? Files.size(target) : 0);
            store.write(cp);
        }
        long events = 0;
        for (FetchPlan.Step s : steps) {
            events += object(s.object(), target);
            commit(s, target);
        }
        return events;
    }

    private void commit(FetchPlan.Step s, Path target) throws IOException {
        if (s.commitKey() != null) {
            if (target == null) {
                cp = new Checkpoint(Optional.of(s.commitKey()), cp.file(), cp.length());
            } else {
                cp = cp.withKey(s.commitKey(), target, Files.exists(target) ? Files.size(target) : 0);
            }
            store.write(cp);
        }
    }

    private long object(ListedObject o, Path target) throws IOException {
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long before = ch.size();
            ch.position(before);
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 65536);
            ObjectReader.Result r;
            ResponseInputStream<GetObjectResponse> in = null;
            try {
                // SDK GetObject: the object is read as a stream inside this step, between listing and checkpoint.
                in = s3.getObject(g -> g.bucket(bucket).key(o.key()));
                r = ObjectReader.read(in, settings.inputFormat(), settings.maxObjectBytes(),
                        new EventWriter(settings.outputFormat(), out));
                out.flush();
                ch.force(true);
            } catch (ObjectReader.BadObjectException | NoSuchKeyException e) {
                abort(in);
                cut(ch, before);
                bad(o, e instanceof NoSuchKeyException ? "the object disappeared before it was read" : e.getMessage());
                return 0;
            } catch (IOException | RuntimeException e) {
                abort(in);
                cut(ch, before);
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
                if (settings.onError() == FetchSettings.OnError.STOP) {
                    cut(ch, before);
                    throw new HaltedException(o.key() + ": " + reason);
                }
            }
            objectsRead.incrementAndGet();
            bytesRead.addAndGet(Math.max(0, o.size()));
            LOG.info("Fetch: {} -> {} ({} events)", o.key(), target, r.events() + r.badLines());
            return r.events() + r.badLines();
        }
    }

    private static void abort(ResponseInputStream<?> in) {
        if (in != null) {
            in.abort();
        }
    }

    private static void cut(FileChannel ch, long length) throws IOException {
        ch.truncate(length);
        ch.force(true);
    }

    private void bad(ListedObject o, String reason) throws IOException {
        LOG.error("Fetch: bad object {} ({} bytes, ETag {}): {}; recorded in {}", o.key(), o.size(), o.eTag(), reason,
                failed.file());
        failed.append(clock.instant(), o, reason);
        failedObjects.incrementAndGet();
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
