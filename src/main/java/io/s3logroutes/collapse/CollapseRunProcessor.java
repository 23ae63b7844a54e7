package io.s3logroutes.collapse;

import java.util.List;

import io.s3logroutes.observe.Metrics;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.ShutdownPrepared;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Step {@code collapseRun}: one scheduled collapse run; the body becomes the summary lines. When the application
 * stops, a run in progress is asked to end at its next read (its upload aborted, nothing deleted), so that the
 * shutdown does not wait for a long period to finish; the next run collapses that period.
 */
public final class CollapseRunProcessor extends ServiceSupport implements Processor, ShutdownPrepared {

    private final CollapseService service;
    private final Metrics.Count runs;
    private final Metrics.Count objects;
    private final Metrics.Count bytes;
    private final Metrics.Count failures;
    private final Metrics.Stamp lastSuccess;

    public CollapseRunProcessor(CollapseService service) {
        this(service, Metrics.NONE);
    }

    public CollapseRunProcessor(CollapseService service, Metrics metrics) {
        this.service = service;
        this.runs = metrics.count("s3logs.collapse.runs", "collapse runs");
        this.objects = metrics.count("s3logs.collapse.objects", "input objects collapsed");
        this.bytes = metrics.count("s3logs.collapse.bytes", "bytes of the input objects collapsed");
        this.failures = metrics.count("s3logs.collapse.failures", "groups whose collapse failed, and failed runs");
        this.lastSuccess = metrics.lastSuccess("collapse");
    }

    /** Called as the shutdown begins, before Camel waits for the run in progress. */
    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        if (!suspendOnly) {
            service.stop();
        }
    }

    @Override
    protected void doStart() {
        service.resume();
    }

    @Override
    public void process(Exchange exchange) {
        runs.increment();
        List<GroupResult> results;
        try {
            results = service.runDefault();
        } catch (RuntimeException e) {
            failures.increment();
            throw e;
        }
        long failed = results.stream().filter(r -> !r.ok()).count();
        for (GroupResult r : results) {
            objects.add(r.objects());
            bytes.add(r.bytes());
        }
        failures.add(failed);
        if (failed == 0) {
            lastSuccess.mark();
        }
        exchange.getMessage().setBody(results.stream().map(GroupResult::summary).toList());
        exchange.getMessage().setHeader("S3LogsCollapseFailed", failed);
    }
}
