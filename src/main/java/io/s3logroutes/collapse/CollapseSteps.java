package io.s3logroutes.collapse;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import io.s3logroutes.config.S3Settings;
import io.s3logroutes.s3.S3Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The steps of one collapse configuration, in the order the route {@code collapse-s3} calls them: {@link #plan},
 * then for each group {@link #resume}, and for each of its new outputs {@link #concatenate}, {@link #manifest},
 * {@link #complete} and {@link #delete}; {@link #result} or {@link #failed} per group, {@link #report} per run and
 * {@link #end} last. Each step works on plain objects ({@link GroupWork}, {@link OutputWork}); the logic is in
 * {@link PeriodPlanner}, {@link Leftovers}, {@link OutputWriter} and {@link InputDeleter}.
 *
 * <p>One run at a time: {@link #plan()} returns no group while another run of this configuration is in progress.
 * When the application stops ({@code stopping}), the output being uploaded is aborted before its next read and no
 * further group starts; what is left is collapsed by the next run.
 */
public final class CollapseSteps implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("io.s3logroutes.collapse");

    private final CollapseSettings cs;
    private final Clock clock;
    private final ExecutorService pool;
    private final ReentrantLock running = new ReentrantLock();
    private final BooleanSupplier appStopping;
    private volatile boolean stopped;
    private final PeriodPlanner planner;
    private final Leftovers leftovers;
    private final OutputWriter writer;
    private final InputDeleter deleter;
    private final CollapseMetrics metrics;
    private final Concatenator concat;
    /** The key lists of the run beyond the memory budget; freed when the run ends. */
    private final Spill spill = Spill.temp();

    public CollapseSteps(S3Client s3, S3Settings settings, CollapseSettings cs, Clock clock, CollapseHook hook,
                         CollapseMetrics metrics, BooleanSupplier appStopping) {
        this.cs = cs;
        this.clock = clock;
        this.appStopping = appStopping;
        this.metrics = metrics;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(cs.concurrency(), r -> {
            Thread t = new Thread(r, "collapse-read-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.concat = new Concatenator(s3, settings, cs.partSize(), cs.concurrency(),
                new Concatenator.Storage(cs.storageClass()), pool, this::stopping);
        this.planner = new PeriodPlanner(cs, new Layouts(cs, s3, settings.bucket()));
        this.writer = new OutputWriter(s3, settings, concat, hook);
        this.deleter = new InputDeleter(s3, settings, hook);
        this.leftovers = new Leftovers(s3, settings, cs, concat, writer, deleter, hook, () -> spill);
    }

    public CollapseSettings settings() {
        return cs;
    }

    boolean stopping() {
        return stopped || appStopping.getAsBoolean();
    }

    /** Asks the run in progress to end at its next read (see {@link CollapseService#stop()}). */
    void stop() {
        stopped = true;
    }

    void resumeRuns() {
        stopped = false;
    }

    // --- the run: plan, one run at a time ---

    /** Step "plan": the groups of every default period (see {@link Periods#defaults}); empty if a run is active. */
    public List<GroupWork> plan() {
        return plan(Periods.defaults(cs.increment(), clock.instant(), cs.grace(), cs.lookback()));
    }

    /** The groups of the periods from {@code from} to {@code to}, both inclusive; empty if a run is active. */
    List<GroupWork> plan(LocalDateTime from, LocalDateTime to) {
        return plan(Periods.range(cs.increment(), from, to));
    }

    List<GroupWork> plan(List<Period> periods) {
        metrics.runStarted();
        if (!running.tryLock()) {
            LOG.warn("collapse: a run is still in progress; this one is skipped");
            return List.of();
        }
        try {
            return planner.plan(periods, clock.instant());
        } catch (RuntimeException e) {
            metrics.runFailed();
            end();
            throw e;
        }
    }

    /** Ends the run that {@link #plan} of this thread began; nothing if it began none. */
    public void end() {
        if (running.isHeldByCurrentThread()) {
            spill.close();
            running.unlock();
        }
    }

    // --- one group ---

    /** Step "resume and cut": finishes what an earlier run left of the group, then cuts its new outputs. */
    public GroupWork resume(GroupWork w) {
        if (!w.isSettled() && stopping()) {
            throw new CollapseException("stopped by the shutdown before " + w.group().listPrefix()
                    + "; nothing of it was touched, the next run collapses it");
        }
        leftovers.resume(w);
        return w;
    }

    /** Step "concatenate": uploads every part of the output, in input order, without completing it. */
    public OutputWork concatenate(OutputWork o) {
        Concatenator.Staged staged = writer.concatenate(o.group().group(), o.manifest());
        o.staged(staged, OutputWriter.uploaded(o.manifest(), staged));
        return o;
    }

    /** Step "manifest": records which inputs the output holds, before the output is completed. */
    public OutputWork manifest(OutputWork o) {
        writer.manifest(o.manifest(), o.staged());
        return o;
    }

    /** Step "complete and verify": completes the output and checks its size against its inputs. */
    public OutputWork complete(OutputWork o) {
        writer.completeAndVerify(o.group().group(), o.manifest(), o.staged());
        o.group().done(o.manifest().outputKey(), o.manifest().inputs().size(), o.staged().bytes());
        return o;
    }

    /** Step "delete": deletes exactly the inputs of the verified output. */
    public OutputWork delete(OutputWork o) {
        deleter.delete(o.group().group(), o.manifest());
        return o;
    }

    /** The group's summary once its steps are done; logged. */
    public GroupResult result(GroupWork w) {
        GroupResult r = w.result();
        if (r.ok()) {
            LOG.info(r.summary());
        } else {
            LOG.error(r.summary());
        }
        return r;
    }

    /** The group's summary after a step failed with {@code e}; logged with the cause. Other groups go on. */
    public GroupResult failed(GroupWork w, Exception e) {
        String why = why(e);
        Group g = w.group();
        LOG.error("collapse {} {} failed: {}", g.period(), g.listPrefix(), why, e instanceof CollapseException ? null : e);
        GroupResult r = w.failed(why);
        LOG.error(r.summary());
        return r;
    }

    /** Step "report": counts the run's groups, objects and bytes; the summary lines and the number failed. */
    public RunReport report(List<GroupResult> results) {
        return metrics.runDone(results);
    }

    // --- a whole run, for callers that are not a route ---

    /** One run over the default periods with the steps in the route's order; the report of every group. */
    public RunReport run() {
        return report(collapse(plan()));
    }

    /**
     * Collapses the planned groups in order (see {@link GroupCollapser}) and ends the run. A shutdown stops it
     * before the next group; the groups left are collapsed by the next run.
     */
    List<GroupResult> collapse(List<GroupWork> plan) {
        try {
            GroupCollapser collapser = new GroupCollapser(this);
            List<GroupResult> results = new java.util.ArrayList<>();
            for (GroupWork w : plan) {
                if (!w.isSettled() && stopping()) {
                    LOG.warn("collapse: stopped by the shutdown; {} and the groups after it are left for the next run",
                            w.group().listPrefix());
                    break;
                }
                results.add(collapser.collapse(w));
            }
            return results;
        } finally {
            end();
        }
    }

    // --- the dry run ---

    /**
     * The plan of each planned group, in order, without changing anything: what {@link #resume} would find (the
     * incomplete uploads are listed, not aborted), and for new outputs the inputs' gzip or plain kind (their first
     * bytes are read; a mix is the group's refusal). A group whose listing fails is an entry with that error. Ends
     * the run.
     */
    List<DryRun.Entry> dryRun(List<GroupWork> plan) {
        try {
            List<DryRun.Entry> entries = new java.util.ArrayList<>();
            for (GroupWork w : plan) {
                entries.add(w.isSettled() ? DryRun.Entry.settled(w.result()) : dryRun(w.group()));
            }
            return entries;
        } finally {
            end();
        }
    }

    private DryRun.Entry dryRun(Group g) {
        try {
            Leftovers.Plan p = leftovers.dryPlan(g);
            if (p.refused() == null && !p.outputs().isEmpty() && !p.kindsRead()) {
                try {
                    p = p.withGzip(concat.checkKinds(p.outputs().stream().flatMap(m -> m.inputs().stream()).toList()));
                } catch (CollapseException e) {
                    p = p.refusedBy(e);
                }
            }
            return DryRun.Entry.planned(p);
        } catch (RuntimeException e) {
            String why = why(e);
            LOG.error("collapse --dry-run {} {}: cannot plan: {}", g.period(), g.listPrefix(), why, e);
            return DryRun.Entry.failed(g, why);
        }
    }

    /** A failed group's reason: a CollapseException's message, an S3 error's status, code and message. */
    private static String why(Exception e) {
        if (e instanceof CollapseException) {
            return e.getMessage();
        }
        return S3Errors.answer(e) != null ? S3Errors.describe(e) : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    @Override
    public void close() {
        pool.shutdownNow();
        spill.close();
    }
}
