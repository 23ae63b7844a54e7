package io.s3logroutes.syslog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.s3logroutes.event.LogEvent;
import io.s3logroutes.ship.ShipPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One syslog input (UDP or TCP): a frame becomes an event for the ship flow's event stage. On TCP, the batch step
 * blocks while the spool is full, and the netty worker that runs the route stops reading its connections. UDP cannot
 * be slowed down, so while the spool is full its datagrams are counted and dropped ({@link #receive} gives
 * {@code null}), reported at most once per minute.
 */
public final class SyslogInput {

    private static final Logger LOG = LoggerFactory.getLogger(SyslogInput.class);

    private final ShipPipeline pipeline;
    private final SyslogEvents events;
    private final SyslogStats stats;
    private final String moduleName;
    private final boolean dropWhenFull;
    private final Clock clock;
    private final RateLimitedReport drops = new RateLimitedReport(Duration.ofMinutes(1));
    private final RateLimitedReport invalid = new RateLimitedReport(Duration.ofMinutes(1));

    public SyslogInput(ShipPipeline pipeline, SyslogEvents events, SyslogStats stats, String moduleName,
                       boolean dropWhenFull, Clock clock) {
        this.pipeline = pipeline;
        this.events = events;
        this.stats = stats;
        this.moduleName = moduleName;
        this.dropWhenFull = dropWhenFull;
        this.clock = clock;
    }

    /** The event of a frame; {@code null} when it is a datagram dropped because the spool is full. */
    public LogEvent receive(SyslogFrame frame, String sender) {
        if (dropWhenFull && pipeline.spool().isFull()) {
            stats.udpDropped.incrementAndGet();
            String report = drops.occurred(clock.instant());
            if (report != null) {
                LOG.warn("Syslog {}: the ship spool is full ({}), UDP datagrams are dropped: {}", moduleName,
                        pipeline.spool().dir(), report);
            }
            return null;
        }
        if (dropWhenFull) {
            String report = drops.recovered(clock.instant());
            if (report != null) {
                LOG.warn("Syslog {}: the ship spool has room again; UDP datagrams dropped while it was full: {}",
                        moduleName, report);
            }
        }
        return parsed(events.event(frame, sender, moduleName, clock.instant()), sender);
    }

    /**
     * The events of the frames of one TCP read, in order; they share one receipt time. A TCP input never drops (it
     * is slowed down instead), so there is one event per frame.
     */
    public List<LogEvent> receive(List<SyslogFrame> frames, String sender) {
        Instant received = clock.instant();
        String receivedText = received.toString();
        List<LogEvent> chunk = new ArrayList<>(frames.size());
        for (SyslogFrame f : frames) {
            chunk.add(parsed(events.event(f, sender, moduleName, received, receivedText), sender));
        }
        return chunk;
    }

    private LogEvent parsed(LogEvent e, String sender) {
        Object error = e.fields().get(SyslogEvents.SYSLOG_PARSE_ERROR);
        if (error != null) {
            String report = invalid.occurred(clock.instant());
            if (report != null) {
                LOG.warn("Syslog {}: a frame from {} is not valid syslog ({}); it is shipped with {}. Invalid frames: {}",
                        moduleName, sender, error, SyslogEvents.SYSLOG_PARSE_ERROR, report);
            }
        }
        return e;
    }

    public String moduleName() {
        return moduleName;
    }

    /** Logs what is still unreported (shutdown). */
    public void close() {
        String d = drops.flush(clock.instant());
        if (d != null) {
            LOG.warn("Syslog {}: UDP datagrams dropped while the ship spool was full: {}", moduleName, d);
        }
        String i = invalid.flush(clock.instant());
        if (i != null) {
            LOG.warn("Syslog {}: frames that are not valid syslog (shipped with {}): {}", moduleName,
                    SyslogEvents.SYSLOG_PARSE_ERROR, i);
        }
    }
}
