package io.s3logroutes.ship;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Step {@code shipFlush}: seals the open batch once it is older than {@code s3logs.ship.batch.max-age}. */
public final class ShipTickProcessor implements Processor {

    private final ShipPipeline pipeline;

    public ShipTickProcessor(ShipPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        pipeline.tick();
    }
}
