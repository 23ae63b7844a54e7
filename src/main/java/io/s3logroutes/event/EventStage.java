package io.s3logroutes.event;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract of the event stage, the place in every flow's route where an integration engineer shapes events
 * with plain Camel EIPs.
 *
 * <ul>
 *   <li>The body is a chunk of events, a {@code List<LogEvent>} in input order (one read of a file, one object of
 *       fetch, one network read of syslog). Each {@link LogEvent} is a read-only map: {@code ${body[0][raw_event]}}
 *       on the chunk, {@code ${body[raw_event]}} on one event inside a {@code split}.</li>
 *   <li>Headers {@value #INPUT} (the input: {@code ship-file}, {@code ship-tail}, {@code ship-syslog-udp},
 *       {@code ship-syslog-tcp}, {@code fetch}) and {@value #SOURCE} (the file, peer or key the chunk came
 *       from).</li>
 *   <li>A header {@value #FIELD_PREFIX}{@code NAME} writes the field {@code NAME}: set on the chunk, on every event of
 *       it; set inside a {@code split}, on that event. {@value #FIELD_PREFIX}{@code raw_event} replaces the line.
 *       Events no header touches keep their exact bytes.</li>
 *   <li>A header {@value #KEY_PATTERN} (ship only) stores events under another key pattern, in the same bucket: set on
 *       the chunk, every event of it; set inside a {@code split}, that event. Absent, {@code s3logs.ship.key-pattern}
 *       applies. The pattern is the event's metadata ({@link LogEvent#keyPattern()}), never a field; events of
 *       different patterns go into different batches, hence objects.</li>
 *   <li>Per-event work runs in a {@code split} over {@code ${body}} with the aggregation strategy
 *       {@code #eventChunk}, which puts the surviving events back into one chunk. An event that a {@code stop} ends
 *       (a {@code filter} with a {@code stop} inside it) or whose body becomes null is dropped and counted in the
 *       metric {@code s3logs_events_dropped_total{input=...}}. A body that a {@code transform} turns into a map (of
 *       fields with {@code raw_event}) or a text (a new line, no fields) becomes the event.</li>
 * </ul>
 *
 * <p>This class holds the rules as plain functions; the Camel-facing parts are {@link EventChunkStrategy} and the
 * steps that call {@link #apply}.
 */
public final class EventStage {

    /** Header: the input the chunk came from. */
    public static final String INPUT = "S3LogsInput";
    /** Header: the file, peer address or S3 key the chunk came from. */
    public static final String SOURCE = "S3LogsSource";
    /**
     * Exchange property: the {@link Durable} of the chunk's last event when a split dropped it, registered after the
     * chunk's events so that the input moves past dropped events too.
     */
    public static final String DURABLE = "S3LogsDurable";
    /** Header prefix: {@code S3LogsField.env} writes the field {@code env}. */
    public static final String FIELD_PREFIX = "S3LogsField.";
    /**
     * Header: the key pattern (same tokens as {@code s3logs.ship.key-pattern}, {@code {seq}} included) under which ship
     * stores the chunk's events, or, inside a split, the one event.
     */
    public static final String KEY_PATTERN = "S3LogsKeyPattern";

    private EventStage() {
    }

    /** Whether a header writes a field ({@value #FIELD_PREFIX}NAME, the prefix in any case). */
    public static boolean isFieldHeader(String header) {
        return header.length() > FIELD_PREFIX.length()
                && header.regionMatches(true, 0, FIELD_PREFIX, 0, FIELD_PREFIX.length());
    }

    /** The fields that headers write, by field name, in header order; empty when none does. */
    public static Map<String, Object> fieldHeaders(Map<String, Object> headers) {
        Map<String, Object> out = null;
        for (Map.Entry<String, Object> h : headers.entrySet()) {
            String k = h.getKey();
            if (isFieldHeader(k)) {
                if (out == null) {
                    out = new LinkedHashMap<>();
                }
                out.put(k.substring(FIELD_PREFIX.length()), h.getValue());
            }
        }
        return out == null ? Map.of() : out;
    }

    /** The event with the given fields written; {@code raw_event} replaces the line. The same event when empty. */
    public static LogEvent withFields(LogEvent e, Map<String, Object> written) {
        if (written.isEmpty()) {
            return e;
        }
        byte[] raw = e.raw();
        Map<String, Object> fields = new LinkedHashMap<>(e.fields());
        for (Map.Entry<String, Object> w : written.entrySet()) {
            if (LogEvent.RAW_EVENT.equals(w.getKey())) {
                raw = bytes(w.getValue());
            } else if (w.getValue() == null) {
                fields.remove(w.getKey());
            } else {
                fields.put(w.getKey(), w.getValue());
            }
        }
        return LogEvent.of(raw, fields, e.durable()).withKeyPattern(e.keyPattern());
    }

    /** The key pattern the {@value #KEY_PATTERN} header sets, or {@code null} when it is absent. */
    public static String keyPattern(Map<String, Object> headers) {
        Object v = headers.get(KEY_PATTERN);
        return v == null ? null : v.toString();
    }

    /**
     * Every event of the chunk with the fields that the chunk's headers write and the key pattern its
     * {@value #KEY_PATTERN} header sets. The same list when no header does either.
     */
    public static List<LogEvent> apply(List<LogEvent> chunk, Map<String, Object> headers) {
        Map<String, Object> written = fieldHeaders(headers);
        String pattern = keyPattern(headers);
        if (written.isEmpty() && pattern == null) {
            return chunk;
        }
        List<LogEvent> out = new ArrayList<>(chunk.size());
        for (LogEvent e : chunk) {
            LogEvent w = withFields(e, written);
            out.add(pattern == null ? w : w.withKeyPattern(pattern));
        }
        return out;
    }

    /**
     * What a body at the event stage stands for: a {@link LogEvent} as it is, a map as the fields of an event (its
     * {@code raw_event} the line), a text or bytes as a line with no fields.
     *
     * @throws IllegalArgumentException for any other type, naming it
     */
    public static LogEvent event(Object body) {
        if (body instanceof LogEvent e) {
            return e;
        }
        if (body instanceof Map<?, ?> m) {
            Map<String, Object> fields = new LinkedHashMap<>();
            m.forEach((k, v) -> fields.put(String.valueOf(k), v));
            Object raw = fields.remove(LogEvent.RAW_EVENT);
            if (raw == null) {
                throw new IllegalArgumentException("an event map needs a raw_event field, got the keys " + m.keySet());
            }
            return LogEvent.of(bytes(raw), fields);
        }
        if (body instanceof String || body instanceof byte[]) {
            return LogEvent.of(bytes(body), Map.of());
        }
        throw new IllegalArgumentException("the event stage takes a LogEvent, a map of fields or a text, not "
                + (body == null ? "null" : body.getClass().getName()));
    }

    /**
     * The chunk a body stands for: a list of events (or of what {@link #event} takes), or one event.
     *
     * @throws IllegalArgumentException for a body that is neither
     */
    @SuppressWarnings("unchecked")
    public static List<LogEvent> chunk(Object body) {
        if (body instanceof List<?> l) {
            for (Object o : l) {
                if (!(o instanceof LogEvent)) {
                    List<LogEvent> out = new ArrayList<>(l.size());
                    for (Object x : l) {
                        out.add(event(x));
                    }
                    return out;
                }
            }
            return (List<LogEvent>) l;
        }
        return List.of(event(body));
    }

    private static byte[] bytes(Object v) {
        if (v instanceof byte[] b) {
            return b;
        }
        return String.valueOf(v).getBytes(StandardCharsets.UTF_8);
    }
}
