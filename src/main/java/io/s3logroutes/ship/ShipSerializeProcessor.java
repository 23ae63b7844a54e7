package io.s3logroutes.ship;

import java.util.List;

import io.s3logroutes.event.Durable;
import io.s3logroutes.event.EventCodec;
import io.s3logroutes.event.EventStage;
import io.s3logroutes.event.LogEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Step {@code shipSerialize}: the chunk leaving the event stage, with the fields its {@code S3LogsField.*} headers
 * write, becomes {@link Records} in the object format ({@code s3logs.ship.format}: raw lines or NDJSON with every
 * field).
 */
public final class ShipSerializeProcessor implements Processor {

    private final EventCodec.Format format;

    public ShipSerializeProcessor(EventCodec.Format format) {
        this.format = format;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        List<LogEvent> chunk = EventStage.apply(EventStage.chunk(exchange.getMessage().getBody()),
                exchange.getMessage().getHeaders());
        Durable trailing = exchange.getProperty(EventStage.DURABLE, Durable.class);
        exchange.removeProperty(EventStage.DURABLE);
        exchange.getMessage().setBody(Records.of(chunk, format, trailing));
    }
}
