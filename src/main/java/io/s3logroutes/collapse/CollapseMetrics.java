package io.s3logroutes.collapse;

import java.util.List;

import io.s3logroutes.observe.Metrics;

/**
 * The counters of the collapse runs ({@code s3logs.collapse.*} and {@code s3logs.last.success.seconds{flow=collapse}}).
 * One per application, shared by every templated collapse route: the last success is that of any of them.
 */
public final class CollapseMetrics {

    private final Metrics.Count runs;
    private final Metrics.Count objects;
    private final Metrics.Count bytes;
    private final Metrics.Count failures;
    private final Metrics.Stamp lastSuccess;

    public CollapseMetrics(Metrics metrics) {
        this.runs = metrics.count("s3logs.collapse.runs", "collapse runs");
        this.objects = metrics.count("s3logs.collapse.objects", "input objects collapsed");
        this.bytes = metrics.count("s3logs.collapse.bytes", "bytes of the input objects collapsed");
        this.failures = metrics.count("s3logs.collapse.failures", "groups whose collapse failed, and failed runs");
        this.lastSuccess = metrics.lastSuccess("collapse");
    }

    /** Counters that go nowhere (the backlog command, the kamelet, tests). */
    public static CollapseMetrics none() {
        return new CollapseMetrics(Metrics.NONE);
    }

    void runStarted() {
        runs.increment();
    }

    void runFailed() {
        failures.increment();
    }

    /** Counts a run's groups, objects and bytes; a run without a failed group is a success. */
    RunReport runDone(List<GroupResult> results) {
        long failed = results.stream().filter(r -> !r.ok()).count();
        for (GroupResult r : results) {
            objects.add(r.objects());
            bytes.add(r.bytes());
        }
        failures.add(failed);
        if (failed == 0) {
            lastSuccess.mark();
        }
        return new RunReport(results.stream().map(GroupResult::summary).toList(), failed);
    }
}
