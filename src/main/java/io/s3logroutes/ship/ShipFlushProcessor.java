package io.s3logroutes.ship;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.ShutdownPrepared;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Step {@code <name>Flush} ({@code shipFlush} in the application; {@code tailer} is null where nothing is tailed): seals the open batch once it is older than {@code s3logs.ship.batch.max-age}. When the
 * shutdown begins, it seals what is open and saves the tail offsets, so that the upload route (which completes all
 * its pending tasks before it stops) still sends the last batch; whatever the inputs add after that is sealed into
 * the spool when the pipeline closes, and sent at the next start.
 */
public final class ShipFlushProcessor extends ServiceSupport implements Processor, ShutdownPrepared {

    private final ShipPipeline pipeline;
    private final Tailer tailer;

    public ShipFlushProcessor(ShipPipeline pipeline, Tailer tailer) {
        this.pipeline = pipeline;
        this.tailer = tailer;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        pipeline.tick();
    }

    /** Called as the shutdown begins, while the upload route still runs: the open batch goes out now. */
    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        if (suspendOnly) {
            return;
        }
        try {
            doStop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot seal the open ship batch at shutdown: " + e.getMessage(), e);
        }
    }

    @Override
    protected void doStop() throws Exception {
        pipeline.commit();
        if (tailer != null) {
            tailer.save();
        }
    }
}
