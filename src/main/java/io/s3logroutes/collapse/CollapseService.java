package io.s3logroutes.collapse;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import io.s3logroutes.config.S3Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs collapse over periods: the scheduled run (the default periods) and the backlog command (a range). One run
 * at a time; a run that finds another in progress does nothing.
 */
public final class CollapseService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("collapse");

    private final CollapseSettings cs;
    private final Layouts layouts;
    private final GroupCollapser collapser;
    private final Clock clock;
    private final ExecutorService pool;
    private final ReentrantLock running = new ReentrantLock();
    /** Set when the application stops: the run in progress ends at its next read and no further group starts. */
    private volatile boolean stopping;

    public CollapseService(S3Client s3, S3Settings settings, CollapseSettings cs, Clock clock, CollapseHook hook) {
        this.cs = cs;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(cs.concurrency(), r -> {
            Thread t = new Thread(r, "collapse-read-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.layouts = new Layouts(cs, s3, settings.bucket());
        Concatenator concat = new Concatenator(s3, settings, cs.partSize(), cs.concurrency(),
                new Concatenator.Storage(cs.storageClass()), pool, () -> stopping);
        this.collapser = new GroupCollapser(s3, settings, cs, concat, hook);
    }

    public CollapseSettings settings() {
        return cs;
    }

    /** The scheduled run: every default period (see {@link Periods#defaults}). */
    public List<GroupResult> runDefault() {
        Instant now = clock.instant();
        return run(Periods.defaults(cs.increment(), now, cs.grace(), cs.lookback()));
    }

    /** The backlog command: the periods from {@code from} to {@code to}, both inclusive. */
    public List<GroupResult> runRange(LocalDateTime from, LocalDateTime to) {
        return run(Periods.range(cs.increment(), from, to));
    }

    /** Collapses the periods in order; returns one result per period and group, or nothing if a run is active. */
    public List<GroupResult> run(List<Period> periods) {
        if (!running.tryLock()) {
            LOG.warn("collapse: a run is still in progress; this one is skipped");
            return List.of();
        }
        try {
            List<GroupResult> results = new ArrayList<>();
            Instant now = clock.instant();
            for (Period p : periods) {
                if (stopping) {
                    LOG.warn("collapse: stopped by the shutdown; period {} and the ones after it are left for the"
                            + " next run", p);
                    break;
                }
                if (!Periods.ripe(p, now, cs.grace())) {
                    GroupResult r = new GroupResult(new Group(p, cs.inputPrefix(), ""), GroupResult.Status.NOT_RIPE, 0, 0, List.of(),
                            List.of());
                    LOG.info(r.summary());
                    results.add(r);
                    continue;
                }
                List<Group> groups;
                try {
                    groups = layouts.groups(p);
                } catch (RuntimeException e) {
                    LOG.error("collapse {}: cannot list the accounts, regions or servers of layout {}: {}", p,
                            cs.layout(), e.getMessage(), e);
                    results.add(new GroupResult(new Group(p, cs.inputPrefix(), ""), GroupResult.Status.FAILED, 0, 0,
                            List.of(), List.of(e.getMessage())));
                    continue;
                }
                if (groups.isEmpty()) {
                    GroupResult r = new GroupResult(new Group(p, cs.inputPrefix(), ""), GroupResult.Status.EMPTY, 0, 0,
                            List.of(), List.of());
                    LOG.info(r.summary());
                    results.add(r);
                }
                for (Group g : groups) {
                    if (stopping) {
                        break;
                    }
                    GroupResult r = collapser.collapse(g);
                    if (r.ok()) {
                        LOG.info(r.summary());
                    } else {
                        LOG.error(r.summary());
                    }
                    results.add(r);
                }
            }
            return results;
        } finally {
            running.unlock();
        }
    }

    /**
     * Asks the run in progress to end soon (application shutdown): it aborts the output being uploaded before its
     * next read and starts no further group. Outputs already completed finish their deletes first, as every step
     * after the upload is left to the next run's resume anyway.
     */
    public void stop() {
        stopping = true;
    }

    /** Lets runs go on again after {@link #stop()} (a route started again). */
    public void resume() {
        stopping = false;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
