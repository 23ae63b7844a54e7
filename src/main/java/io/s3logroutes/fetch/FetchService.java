package io.s3logroutes.fetch;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.s3logroutes.event.LogEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One fetch position (a prefix, an output, a checkpoint) and the work of each step of the fetch route, in route
 * order: {@link #list()} the next batch after the checkpoint, {@link #read} it as chunks of events,
 * {@link #write} each chunk, {@link #checkpoint} at the end of the batch, {@link #failed} when a step failed.
 * Read-only on S3. One route (one thread) drives it.
 */
public final class FetchService {

    private static final Logger LOG = LoggerFactory.getLogger("io.s3logroutes.fetch");

    private final FetchSettings settings;
    private final Clock clock;
    private final FetchStats stats = new FetchStats();
    private final io.s3logroutes.syslog.RateLimitedReport outages =
            new io.s3logroutes.syslog.RateLimitedReport(java.time.Duration.ofMinutes(1));
    private final OutputJournal journal;
    private final ObjectSource objects;
    private final ExecutorService pool;
    private final FetchLister lister;
    private FetchChunks reading;
    /** A poll is under way: it ends in {@link #checkpoint} (without more) or {@link #failed}. */
    private boolean polling;
    /** Where the write step is in the batch: the step it expects and the index of its next chunk. */
    private List<FetchPlan.Step> steps = List.of();
    private int stepIndex;
    private int chunkIndex;

    public FetchService(S3Client s3, String bucket, FetchSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.journal = new OutputJournal(bucket, settings, clock, stats);
        this.objects = new ObjectSource(s3, bucket);
        this.pool = daemons("fetch-get-", settings.concurrency());
        this.lister = new FetchLister(s3, bucket, settings, clock, daemons("fetch-list-", 1));
    }

    public FetchSettings settings() {
        return settings;
    }

    /** Polls that failed because S3 did not answer: reported at the first, then at most once a minute. */
    public io.s3logroutes.syslog.RateLimitedReport outages() {
        return outages;
    }

    public FetchStats stats() {
        return stats;
    }

    public OutputJournal journal() {
        return journal;
    }

    /**
     * Step list: the next batch of settled keys after the checkpoint; the listing after it starts ahead.
     *
     * @param newPoll the first batch of a poll: a poll before it that ended neither in {@link #checkpoint} nor in
     *                {@link #failed} (a route edit skipped them) is undone first, as a failure
     */
    public FetchPlan.Plan list(boolean newPoll) throws IOException {
        if (newPoll && polling) {
            String due = stepIndex < steps.size() ? "chunk " + chunkIndex + " of " + steps.get(stepIndex).object().key()
                    : "the end of the batch";
            IllegalStateException e = new IllegalStateException("the poll before ended without the steps "
                    + FetchSteps.CHECKPOINT + " or " + FetchSteps.FAILED + " when " + due + " was due at "
                    + FetchSteps.WRITE + " (a stop at the event stage belongs inside the per-event split); what it"
                    + " wrote after the checkpoint is cut off and read again");
            LOG.error("Fetch: {}", e.getMessage());
            failed(e);
        }
        polling = true;
        FetchPlan.Plan plan = lister.next(journal.after());
        lister.listAhead(plan);
        return plan;
    }

    /** Step read: the batch's objects as chunks of events, in key order, read ahead. */
    public FetchChunks read(FetchPlan.Plan plan, BooleanSupplier keepGoing) {
        closeReading();
        steps = plan.steps();
        stepIndex = 0;
        chunkIndex = 0;
        reading = new FetchChunks(plan, objects, settings, keepGoing, pool);
        return reading;
    }

    /** Step write: appends a chunk's events (as the event stage left them) to the object's output file. */
    public void write(FetchChunks.Chunk chunk, List<LogEvent> events) throws IOException {
        FetchPlan.Step expected = stepIndex < steps.size() ? steps.get(stepIndex) : null;
        if (chunk.step() != expected || chunk.index() != chunkIndex) {
            throw new IllegalStateException("chunk " + chunk.index() + " of " + chunk.step().object().key()
                    + " came to " + FetchSteps.WRITE + " where chunk " + chunkIndex + " of "
                    + (expected == null ? "(none)" : expected.object().key()) + " was due: every chunk must reach it,"
                    + " in order (a stop at the event stage belongs inside the per-event split)");
        }
        if (chunk.bad() != null) {
            journal.bad(chunk.step(), chunk.bad());
        } else {
            journal.write(chunk.step().object(), events);
            if (chunk.last()) {
                journal.done(chunk.step(), chunk.result());
            }
        }
        if (chunk.last()) {
            stepIndex++;
            chunkIndex = 0;
        } else {
            chunkIndex++;
        }
    }

    /**
     * Step checkpoint, at the end of a batch: fsyncs the output and moves the checkpoint.
     *
     * @return whether another batch is ready now (the listing went on past this one and {@code running} holds);
     *         if not, the poll ends: the output is closed
     */
    public boolean checkpoint(FetchPlan.Plan plan, boolean running) throws IOException {
        int read = reading == null ? 0 : reading.objectsStarted();
        closeReading();
        if (read != stepIndex || chunkIndex != 0) {
            throw new IllegalStateException(read + " object(s) were read but " + stepIndex + " written whole by "
                    + FetchSteps.WRITE + " (the last one due: " + steps.get(Math.min(stepIndex, steps.size() - 1))
                    .object().key() + "): every chunk must reach it (a stop at the event stage belongs inside the"
                    + " per-event split)");
        }
        boolean more = running && plan.waiting() == null && !plan.complete();
        if (more) {
            journal.commit();
            return true;
        }
        if (plan.waiting() != null) {
            LOG.debug("Fetch: waiting for {} to settle ({})", plan.waiting(), settings.settle());
        }
        lister.cancel();
        journal.finish();
        polling = false;
        stats.succeeded(clock.instant());
        return false;
    }

    /**
     * After a failure of any step: the output is cut back to the checkpoint, and the next poll resumes after it.
     *
     * @return whether it was a bad object with {@code s3logs.fetch.on-error=stop}: the route must stop
     */
    public boolean failed(Throwable failure) {
        polling = false;
        closeReading();
        lister.cancel();
        Exception e = failure instanceof Exception x ? x : new RuntimeException(failure);
        OutputJournal.HaltedException halted = halted(failure);
        journal.abort(halted != null ? halted : e);
        return halted != null;
    }

    /** The route (re)starts: the checkpoint is read again from its file (another instance may have moved it). */
    public void reload() {
        if (polling) {
            // the route stopped in the middle of a poll: what it wrote after the checkpoint is cut off below
            failed(new IllegalStateException("the route stopped during a poll"));
        }
        journal.reload();
    }

    /** The {@link OutputJournal.HaltedException} a failure was caused by, or null. */
    public static OutputJournal.HaltedException halted(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OutputJournal.HaltedException h) {
                return h;
            }
        }
        return null;
    }

    private void closeReading() {
        if (reading != null) {
            reading.close();
            reading = null;
        }
    }

    /** Threads that end after a while when idle. */
    private static ExecutorService daemons(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, name + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        p.allowCoreThreadTimeOut(true);
        return p;
    }
}
