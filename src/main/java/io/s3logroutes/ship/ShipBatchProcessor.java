package io.s3logroutes.ship;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Step {@code shipBatch}: appends the serialized events to the open batch in the spool, gzip'd as they are written
 * when {@code s3logs.ship.gzip} is on, and seals the batch when it is full ({@link ShipPipeline}). Blocks while the
 * spool is full: backpressure on the input.
 */
public final class ShipBatchProcessor implements Processor {

    private final ShipPipeline pipeline;

    public ShipBatchProcessor(ShipPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        pipeline.accept(exchange.getMessage().getMandatoryBody(Records.class));
    }
}
