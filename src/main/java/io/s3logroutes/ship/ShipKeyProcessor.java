package io.s3logroutes.ship;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Step {@code <name>AssignKey} ({@code shipAssignKey} in the application): gives the sealed batch in the body its object key, one batch after the other in seal
 * order, so that keys (and so fetch) follow the order of the input even though uploads run in parallel. A batch
 * that already has a key from an earlier run (kept beside it in the spool) keeps it. The key is saved beside the
 * batch before the upload starts.
 */
public final class ShipKeyProcessor implements Processor {

    private final ShipPut put;

    public ShipKeyProcessor(ShipPut put) {
        this.put = put;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Spool.Batch batch = exchange.getIn().getBody(Spool.Batch.class);
        exchange.setProperty(ShipPutSteps.KEY, put.key(batch));
    }
}
