package io.s3logroutes.ship;

import java.util.Iterator;

import io.s3logroutes.event.EventChunkMessages;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Bean {@code shipTail} of {@code ship-tail}: {@code poll} gives the split the chunks of one poll of the tailed files. */
public final class ShipTailStep {

    private final Tailer tailer;

    public ShipTailStep(Tailer tailer) {
        this.tailer = tailer;
    }

    public Iterator<Message> poll(Exchange exchange) throws Exception {
        return EventChunkMessages.messages(exchange.getContext(), tailer.poll());
    }
}
