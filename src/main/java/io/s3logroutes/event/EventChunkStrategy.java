package io.s3logroutes.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.s3logroutes.observe.Metrics;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * The aggregation strategy {@code #eventChunk} of a {@code split} over a chunk at the event stage: it puts the events
 * that survive the split's steps back into one chunk, in order, each with the fields its own
 * {@link EventStage#FIELD_PREFIX} headers write and the key pattern its own {@link EventStage#KEY_PATTERN} header sets
 * (carried as the event's metadata, not as a field; the chunk does not keep the header, so it cannot reach the
 * other events). An event that a {@code stop} ended, or whose body became null, is
 * dropped and counted in {@code s3logs.events.dropped{input}}; when it is the chunk's last, the exchange property
 * {@link EventStage#DURABLE} keeps what its input does once the events before it are durable. A failure of one event fails the chunk: it is never
 * dropped quietly.
 */
public final class EventChunkStrategy implements AggregationStrategy {

    /** The bean name the routes refer to. */
    public static final String BEAN = "eventChunk";

    private final Metrics metrics;
    private final Map<String, Metrics.Count> dropped = new ConcurrentHashMap<>();

    public EventChunkStrategy(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange chunk, Exchange event) {
        boolean stopped = event.isRouteStop();
        Object body = event.getMessage().getBody();
        Map<String, Object> headers = event.getMessage().getHeaders();
        LogEvent survivor = stopped || body == null ? null : survivor(body, headers);
        if (survivor == null) {
            dropped(event.getMessage().getHeader(EventStage.INPUT, String.class)).increment();
        }
        Exchange result = chunk;
        if (result == null) {
            result = event;
            result.setRouteStop(false);
            result.getMessage().setBody(new ArrayList<LogEvent>());
            result.getMessage().getHeaders().keySet()
                    .removeIf(h -> EventStage.isFieldHeader(h) || EventStage.KEY_PATTERN.equalsIgnoreCase(h));
        }
        if (event != result && event.getException() != null && result.getException() == null) {
            result.setException(event.getException());
        }
        if (survivor != null) {
            result.getMessage().getBody(List.class).add(survivor);
            if (survivor.durable() != null) {
                result.removeProperty(EventStage.DURABLE);
            }
        } else if (body instanceof LogEvent e && e.durable() != null) {
            // the input may move past a dropped event once the events before it are durable
            result.setProperty(EventStage.DURABLE, e.durable());
        }
        return result;
    }

    private static LogEvent survivor(Object body, Map<String, Object> headers) {
        LogEvent e = EventStage.withFields(EventStage.event(body), EventStage.fieldHeaders(headers));
        String pattern = EventStage.keyPattern(headers);
        return pattern == null ? e : e.withKeyPattern(pattern);
    }

    private Metrics.Count dropped(String input) {
        String id = input == null ? "" : input;
        return dropped.computeIfAbsent(id, r -> metrics.count("s3logs.events.dropped",
                "events the event stage of a route dropped (a stop in its split), by input", "input", r));
    }
}
