package io.s3logroutes.ship;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.s3logroutes.event.Durable;
import io.s3logroutes.event.EventCodec;
import io.s3logroutes.event.EventStage;
import io.s3logroutes.event.LogEvent;
import io.s3logroutes.keys.KeyPattern;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Step {@code shipSerialize}: the chunk leaving the event stage, with the fields its {@code S3LogsField.*} headers
 * write and the key pattern its {@code S3LogsKeyPattern} header sets, becomes {@link Records} in the object format
 * ({@code s3logs.ship.format}: raw lines or NDJSON with every field; {@code s3logs.ship.newline}). A key pattern of the event stage is checked
 * here, so that a bad one fails its chunk (and the input tries again) instead of reaching the spool.
 */
public final class ShipSerializeProcessor implements Processor {

    private static final int MAX_CHECKED = 256;

    private final EventCodec.Format format;
    private final boolean newline;
    /** Key patterns of the event stage already found valid. */
    private final Set<String> checked = ConcurrentHashMap.newKeySet();

    public ShipSerializeProcessor(EventCodec.Format format) {
        this(format, true);
    }

    /** @param newline whether each event is followed by {@code \n} ({@code s3logs.ship.newline}) */
    public ShipSerializeProcessor(EventCodec.Format format, boolean newline) {
        this.format = format;
        this.newline = newline;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        List<LogEvent> chunk = EventStage.apply(EventStage.chunk(exchange.getMessage().getBody()),
                exchange.getMessage().getHeaders());
        Durable trailing = exchange.getProperty(EventStage.DURABLE, Durable.class);
        exchange.removeProperty(EventStage.DURABLE);
        Records records = Records.of(chunk, format, newline, trailing);
        for (int i = 0; i < records.size(); i++) {
            check(records.keyPattern(i));
        }
        exchange.getMessage().setBody(records);
    }

    /**
     * @throws io.s3logroutes.config.ConfigException when the pattern is not a valid key pattern, naming it
     * @throws java.io.IOException                  when it is too long for a spool file name
     */
    void check(String keyPattern) throws java.io.IOException {
        if (keyPattern == null || checked.contains(keyPattern)) {
            return;
        }
        KeyPattern.parse(KeyAssigner.HEADER, keyPattern);
        Spool.patternSegment(keyPattern);
        if (checked.size() < MAX_CHECKED) {
            checked.add(keyPattern);
        }
    }
}
