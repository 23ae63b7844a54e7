package io.s3logroutes.ship;

import java.nio.file.Path;
import java.util.Iterator;

import io.s3logroutes.event.EventChunkMessages;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Bean {@code shipFile} of {@code ship-file}: {@code read} gives the split the chunks of the file the file consumer
 * picked up (from where an interrupted run left off); {@code done}, after the split, returns once all of the file's
 * events are durable in the spool and then moves the file away ({@link ShipFileInput}).
 */
public final class ShipFileStep {

    private final ShipFileInput input;

    public ShipFileStep(ShipFileInput input) {
        this.input = input;
    }

    public Iterator<Message> read(Exchange exchange) throws Exception {
        return EventChunkMessages.messages(exchange.getContext(), input.read(file(exchange)));
    }

    public void done(Exchange exchange) throws Exception {
        input.done(file(exchange));
    }

    private static Path file(Exchange exchange) throws Exception {
        String path = exchange.getIn().getHeader(Exchange.FILE_PATH, String.class);
        if (path == null) {
            throw new IllegalArgumentException("shipFile takes the exchanges of a file consumer (no header "
                    + Exchange.FILE_PATH + ")");
        }
        return Path.of(path);
    }
}
