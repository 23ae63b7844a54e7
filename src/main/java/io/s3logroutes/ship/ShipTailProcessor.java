package io.s3logroutes.ship;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Step {@code shipTail}: one poll of the tailed files. */
public final class ShipTailProcessor implements Processor {

    private final Tailer tailer;

    public ShipTailProcessor(Tailer tailer) {
        this.tailer = tailer;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        tailer.poll();
    }
}
