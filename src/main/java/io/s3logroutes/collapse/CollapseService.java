package io.s3logroutes.collapse;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import io.s3logroutes.config.S3Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Collapse runs called from Java rather than from the route: the backlog command (a range of periods) and tests.
 * The same {@link CollapseSteps} as the route, in the same order (see {@link GroupCollapser}). One run at a time; a
 * run that finds another in progress does nothing.
 */
public final class CollapseService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("collapse");

    private final CollapseSteps steps;
    private final GroupCollapser collapser;

    public CollapseService(S3Client s3, S3Settings settings, CollapseSettings cs, Clock clock, CollapseHook hook) {
        this.steps = new CollapseSteps(s3, settings, cs, clock, hook, CollapseMetrics.none(), () -> false);
        this.collapser = new GroupCollapser(steps);
    }

    public CollapseSettings settings() {
        return steps.settings();
    }

    /** The scheduled run: every default period (see {@link Periods#defaults}). */
    public List<GroupResult> runDefault() {
        return collapse(steps.plan());
    }

    /** The backlog command: the periods from {@code from} to {@code to}, both inclusive. */
    public List<GroupResult> runRange(LocalDateTime from, LocalDateTime to) {
        return collapse(steps.plan(from, to));
    }

    /** Collapses the periods in order; returns one result per period and group, or nothing if a run is active. */
    public List<GroupResult> run(List<Period> periods) {
        return collapse(steps.plan(periods));
    }

    private List<GroupResult> collapse(List<GroupWork> plan) {
        try {
            List<GroupResult> results = new ArrayList<>();
            for (GroupWork w : plan) {
                if (!w.isSettled() && steps.stopping()) {
                    LOG.warn("collapse: stopped by the shutdown; {} and the groups after it are left for the next run",
                            w.group().listPrefix());
                    break;
                }
                results.add(collapser.collapse(w));
            }
            return results;
        } finally {
            steps.end();
        }
    }

    /**
     * Asks the run in progress to end soon (application shutdown): it aborts the output being uploaded before its
     * next read and starts no further group. Outputs already completed finish their deletes first, as every step
     * after the upload is left to the next run's resume anyway.
     */
    public void stop() {
        steps.stop();
    }

    /** Lets runs go on again after {@link #stop()}. */
    public void resume() {
        steps.resumeRuns();
    }

    @Override
    public void close() {
        steps.close();
    }
}
