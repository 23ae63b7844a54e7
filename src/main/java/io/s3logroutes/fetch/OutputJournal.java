package io.s3logroutes.fetch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.s3logroutes.event.LogEvent;
import io.s3logroutes.keys.KeyTimes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The output side of fetch: appends the events of each object to its output file, then moves the checkpoint, exactly
 * once across kill -9.
 *
 * <p>The output file of an object comes from {@code s3logs.fetch.output-file} ({server} and date patterns,
 * {@link OutputPath}). The checkpoint moves in steps of several objects ({@link CommitPacer}: every
 * {@code s3logs.fetch.checkpoint-interval}, at the end of every batch, before the output moves to another file, after
 * a bad object), always after the last chunk of an object: before it moves, the output is flushed and fsynced, and
 * the checkpoint records the output file's length at its key. On start (and after any failure of a poll) the output
 * file is cut back to that length, which removes whatever a run wrote after its last checkpoint, and reading resumes
 * after the checkpoint's key. Before the first write to a different output file the checkpoint is rewritten with the
 * same key and that file's current length, so that the cut always applies to the file being written. Bad objects and
 * objects with lines that are not events get a row in the failed file ({@link FailedFile}).
 */
public final class OutputJournal {

    private static final Logger LOG = LoggerFactory.getLogger("io.s3logroutes.fetch");

    /** A bad object with {@code s3logs.fetch.on-error=stop}. */
    public static final class HaltedException extends IOException {
        public HaltedException(String message) {
            super(message);
        }
    }

    private final String source;
    private final FetchSettings settings;
    private final Clock clock;
    private final CheckpointStore store;
    private final FailedFile failed;
    private final EventWriter writer;
    private final FetchStats stats;
    private Checkpoint cp;
    private AppendFile out;
    private CommitPacer pacer;
    private ListedObject current;
    private long currentEvents;
    private boolean warnedOrder;
    private final PollSummary poll = new PollSummary();

    public OutputJournal(String bucket, FetchSettings settings, Clock clock, FetchStats stats) {
        this.source = "s3://" + bucket + "/" + settings.prefix();
        this.settings = settings;
        this.clock = clock;
        this.stats = stats;
        this.store = new CheckpointStore(settings.checkpointFile());
        this.failed = new FailedFile(settings.failedFile());
        this.writer = new EventWriter(settings.outputFormat());
    }

    /** The key to list after; reads the checkpoint and cuts the output back to it on first use (or after reload). */
    public Optional<String> after() throws IOException {
        if (cp == null) {
            cp = store.read();
            store.cutBack(cp, "restart");
            LOG.info("Fetch: {} after {} into {} ({}, settle {}, checkpoint {}, {} reads in flight)", source,
                    cp.key().map(k -> "key " + k).orElse("the beginning"), settings.outputFile(),
                    settings.outputFormat(), FetchSettings.camelDuration(settings.settle()), store.file(), settings.concurrency());
        }
        if (pacer == null) {
            pacer = new CommitPacer(settings.checkpointInterval(), System.nanoTime());
        }
        return cp.key();
    }

    /** Forgets the checkpoint held in memory: the next {@link #after()} reads the file again and cuts back to it. */
    public void reload() {
        cp = null;
    }

    /** The checkpoint as it is now, null before it was read. */
    public Checkpoint checkpoint() {
        return cp;
    }

    /** The time encoded in the checkpoint's key, if it has one. */
    public Optional<Instant> lastKeyTime() {
        Checkpoint c = cp;
        return c == null ? Optional.empty() : c.key().flatMap(k -> KeyTimes.timeOf(k, settings.keyTimeZone()));
    }

    /** Appends a chunk of an object's events; the first chunk of an object opens its output file. */
    public void write(ListedObject o, List<LogEvent> events) throws IOException {
        if (current != o) {
            begin(o);
        }
        writer.write(events, out.stream());
        currentEvents += events.size();
    }

    /** The last chunk of an object was written: it counts, and the checkpoint may move past it. */
    public void done(FetchPlan.Step step, ObjectReader.Result r) throws IOException {
        ListedObject o = step.object();
        if (current != o) {
            begin(o);
        }
        if (r.badLines() > 0) {
            String reason = r.badLines() + " line(s) are not JSON events, written raw and flagged (first: "
                    + r.firstBadLine() + ")";
            LOG.warn("Fetch: {}: {}", o.key(), reason);
            record(o, reason);
            if (settings.onError() == FetchSettings.OnError.STOP) {
                out.rollback();
                throw new HaltedException(o.key() + ": " + reason);
            }
        }
        stats.objectRead(o.size());
        poll.read(o.size(), currentEvents, out.path());
        LOG.debug("Fetch: {} -> {} ({} events)", o.key(), out.path(), currentEvents);
        ended(step);
    }

    /** A bad object: what was written of it is dropped, it gets a failed-file row, and the checkpoint moves past it. */
    public void bad(FetchPlan.Step step, String reason) throws IOException {
        ListedObject o = step.object();
        Path target = settings.outputFile().fileOf(o);
        if (target == null) {
            // no output file: what was written before is committed first, then the checkpoint moves without output
            commit();
        } else if (current != o) {
            begin(o);
        }
        if (out != null && current == o) {
            out.rollback();
        }
        LOG.error("Fetch: bad object {} ({} bytes, ETag {}): {}; recorded in {}", o.key(), o.size(), o.eTag(), reason,
                failed.file());
        poll.bad();
        record(o, reason);
        if (settings.onError() == FetchSettings.OnError.STOP) {
            throw new HaltedException(o.key() + ": " + reason);
        }
        if (target == null) {
            current = null;
            if (step.commitKey() != null) {
                cp = new Checkpoint(Optional.of(step.commitKey()), cp.file(), cp.length());
                store.write(cp);
            }
            return;
        }
        ended(step);
    }

    /** Makes the output durable, then moves the checkpoint to the last key that may be committed. */
    public void commit() throws IOException {
        if (pacer.pendingKey() != null) {
            out.sync();
            cp = cp.withKey(pacer.pendingKey(), out.path(), pacer.pendingLength());
            store.write(cp);
        }
        pacer.committed(System.nanoTime());
    }

    /** Commits and closes the output (the end of a poll), and logs what the poll read, if anything. */
    public void finish() throws IOException {
        commit();
        closeOutput();
        poll.line().ifPresent(LOG::info);
        poll.clear();
    }

    /** After a failure: drops the pending commit, closes the output and cuts it back to the checkpoint. */
    public void abort(Exception cause) {
        poll.clear();
        try {
            if (cause instanceof HaltedException && pacer != null) {
                // stop before the bad object: the objects before it are committed
                commit();
            }
        } catch (IOException | RuntimeException c) {
            cause.addSuppressed(c);
        }
        try {
            if (pacer != null) {
                pacer.reset();
            }
            current = null;
            closeOutput();
        } catch (IOException | RuntimeException c) {
            cause.addSuppressed(c);
        }
        try {
            if (cp != null) {
                store.cutBack(cp, "failure");
            }
        } catch (IOException | RuntimeException c) {
            cause.addSuppressed(c);
        }
    }

    private void begin(ListedObject o) throws IOException {
        Path target = settings.outputFile().fileOf(o);
        if (target == null) {
            throw new IllegalStateException("no output file for " + o.key() + ": " + settings.outputFile().problem(o));
        }
        checkOrder(o);
        if (out == null || !out.path().equals(target)) {
            commit();
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
        out.mark();
        current = o;
        currentEvents = 0;
    }

    private void ended(FetchPlan.Step step) throws IOException {
        current = null;
        pacer.written(step.commitKey(), out.length());
        if (pacer.due(System.nanoTime())) {
            commit();
        }
    }

    private void record(ListedObject o, String reason) throws IOException {
        failed.append(clock.instant(), o, reason);
        stats.objectFailed();
        pacer.urgent();
    }

    private void closeOutput() throws IOException {
        if (out != null) {
            AppendFile f = out;
            out = null;
            f.close();
        }
    }

    /** Key order must be time order under the prefix, or a late key could sort before the checkpoint. */
    private void checkOrder(ListedObject o) {
        if (warnedOrder || cp.key().isEmpty()) {
            return;
        }
        Optional<Instant> last = KeyTimes.timeOf(cp.key().get(), settings.keyTimeZone());
        Optional<Instant> next = KeyTimes.timeOf(o.key(), settings.keyTimeZone());
        if (last.isPresent() && next.isPresent() && next.get().isBefore(last.get())) {
            warnedOrder = true;
            LOG.warn("Fetch: key {} ({}) follows key {} ({}) under prefix '{}': key order is not time order here,"
                    + " so an object arriving late could sort before the checkpoint; give each writer its own prefix"
                    + " (s3logs.fetch.prefix=SERVER01/)", o.key(), next.get(), cp.key().get(), last.get(),
                    settings.prefix());
        }
    }
}
