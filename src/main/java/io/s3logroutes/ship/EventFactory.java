package io.s3logroutes.ship;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.s3logroutes.event.LogEvent;

/** Builds events with NXLog's field names for the ship inputs. */
public final class EventFactory {

    private final String hostname;
    /** The text of the last receive time: the lines of one read share it, so it is formatted once per read. */
    private volatile Stamp last = new Stamp(Instant.EPOCH, Instant.EPOCH.toString());

    private record Stamp(Instant at, String text) {
    }

    public EventFactory(String hostname) {
        this.hostname = hostname;
    }

    /** An event of a file or tail input; {@code part}/{@code continued} mark the parts of a split long line. */
    public LogEvent lineEvent(byte[] line, int part, boolean continued, String input, String type, String fileName,
                              Instant received) {
        return lineEvent(line, part, continued, input, type, fileName, received, null);
    }

    /**
     * The same, with what the input does once the event is durable in the spool. The whole lines of one read (the
     * same time, input and file) share one read-only field map.
     */
    public LogEvent lineEvent(byte[] line, int part, boolean continued, String input, String type, String fileName,
                              Instant received, io.s3logroutes.event.Durable durable) {
        if (part > 1 || continued) {
            LinkedHashMap<String, Object> f = fields(received, input, type, fileName, 16);
            f.put(LogEvent.LINE_PART, part);
            f.put(LogEvent.LINE_CONTINUED, continued);
            return LogEvent.ofOwned(line, f, durable);
        }
        Common c = common;
        if (c == null || !c.received().equals(received) || !Objects.equals(c.input(), input)
                || !Objects.equals(c.type(), type) || !Objects.equals(c.fileName(), fileName)) {
            c = new Common(received, input, type, fileName,
                    LogEvent.shareable(fields(received, input, type, fileName, 8)));
            common = c;
        }
        return LogEvent.ofShared(line, c.fields(), durable);
    }

    /** The fields of the lines of the latest read. */
    private record Common(Instant received, String input, String type, String fileName, Map<String, Object> fields) {
    }

    private volatile Common common;

    /** A new map of the five fields every line event has, of the given capacity (a table of 8 holds 6). */
    private LinkedHashMap<String, Object> fields(Instant received, String input, String type, String fileName,
                                                 int capacity) {
        LinkedHashMap<String, Object> f = new LinkedHashMap<>(capacity);
        f.put(LogEvent.EVENT_RECEIVED_TIME, text(received));
        f.put(LogEvent.SOURCE_MODULE_NAME, input);
        f.put(LogEvent.SOURCE_MODULE_TYPE, type);
        f.put(LogEvent.HOSTNAME, hostname);
        f.put(LogEvent.FILE_NAME, fileName);
        return f;
    }

    private String text(Instant received) {
        Stamp s = last;
        if (!s.at().equals(received)) {
            s = new Stamp(received, received.toString());
            last = s;
        }
        return s.text();
    }
}
