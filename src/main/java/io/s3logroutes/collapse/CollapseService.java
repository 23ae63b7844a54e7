package io.s3logroutes.collapse;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;

import io.s3logroutes.config.S3Settings;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Collapse runs called from Java rather than from the route: the backlog command (a range of periods) and tests.
 * The same {@link CollapseSteps} as the route, in the same order (see {@link GroupCollapser}). One run at a time; a
 * run that finds another in progress does nothing.
 */
public final class CollapseService implements AutoCloseable {

    private final CollapseSteps steps;

    public CollapseService(S3Client s3, S3Settings settings, CollapseSettings cs, Clock clock, CollapseHook hook) {
        this.steps = new CollapseSteps(s3, settings, cs, clock, hook, CollapseMetrics.none(), () -> false);
    }

    public CollapseSettings settings() {
        return steps.settings();
    }

    /** The scheduled run: every default period (see {@link Periods#defaults}). */
    public List<GroupResult> runDefault() {
        return steps.collapse(steps.plan());
    }

    /** The backlog command: the periods from {@code from} to {@code to}, both inclusive. */
    public List<GroupResult> runRange(LocalDateTime from, LocalDateTime to) {
        return steps.collapse(steps.plan(from, to));
    }

    /** Collapses the periods in order; returns one result per period and group, or nothing if a run is active. */
    public List<GroupResult> run(List<Period> periods) {
        return steps.collapse(steps.plan(periods));
    }

    /** The dry run of the scheduled run's periods: their plan, nothing written (see {@link DryRun}). */
    List<DryRun.Entry> dryRunDefault() {
        return steps.dryRun(steps.plan());
    }

    /** The dry run of the periods from {@code from} to {@code to}, both inclusive. */
    List<DryRun.Entry> dryRunRange(LocalDateTime from, LocalDateTime to) {
        return steps.dryRun(steps.plan(from, to));
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
