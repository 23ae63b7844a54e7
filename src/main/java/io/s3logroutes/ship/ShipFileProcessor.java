package io.s3logroutes.ship;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step {@code shipFile}: streams the lines of the file the file consumer picked up into the pipeline, then commits,
 * so that the consumer moves (or deletes) the file only once every event of it is durable in the spool.
 */
public final class ShipFileProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ShipFileProcessor.class);

    private final ShipPipeline pipeline;
    private final EventFactory events;
    private final int maxLineBytes;
    private final String input;
    private final Clock clock;

    public ShipFileProcessor(ShipPipeline pipeline, EventFactory events, int maxLineBytes, String input, Clock clock) {
        this.pipeline = pipeline;
        this.events = events;
        this.maxLineBytes = maxLineBytes;
        this.input = input;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Path file = Path.of(exchange.getIn().getHeader(Exchange.FILE_PATH, String.class));
        long n = ship(file);
        LOG.info("Ship: {} lines of {} are in the spool", n, file);
    }

    /** @return the number of events shipped */
    public long ship(Path file) throws IOException, InterruptedException {
        String name = file.toAbsolutePath().toString();
        long[] count = {0};
        try (InputStream in = Files.newInputStream(file)) {
            LineSplitter.split(in, maxLineBytes, (line, part, continued, end) -> {
                try {
                    pipeline.accept(events.lineEvent(line, part, continued, input, "file", name, clock.instant()),
                            input, null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while shipping " + name, e);
                }
                count[0]++;
            });
        } catch (IOException e) {
            throw new IOException("cannot ship " + name + ": " + e.getMessage(), e);
        }
        pipeline.commit();
        return count[0];
    }
}
