package io.s3logroutes.fetch;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

import io.s3logroutes.event.EventCodec;
import io.s3logroutes.event.LogEvent;

/**
 * Writes decoded events in the output format. {@code raw}: the {@code raw_event} bytes and {@code \n}; the parts of
 * a line that ship split ({@code LineContinued}) are joined back into one line. {@code json}: one
 * {@link EventCodec#toJson} line per event, every field restored. A line that could not be decoded is written raw,
 * in {@code json} as an event with the field {@value #FETCH_ERROR} giving the reason.
 */
public final class EventWriter implements ObjectReader.Sink {

    public static final String FETCH_ERROR = "FetchError";

    private final EventCodec.Format format;
    private final OutputStream out;

    public EventWriter(EventCodec.Format format, OutputStream out) {
        this.format = format;
        this.out = out;
    }

    @Override
    public void event(LogEvent e) throws IOException {
        if (format == EventCodec.Format.RAW) {
            out.write(e.raw());
            Object continued = e.field(LogEvent.LINE_CONTINUED);
            if (!(Boolean.TRUE.equals(continued) || "true".equals(continued))) {
                out.write('\n');
            }
        } else {
            EventCodec.write(EventCodec.Format.JSON, e, out);
        }
    }

    @Override
    public void badLine(long lineNumber, byte[] line, String reason) throws IOException {
        if (format == EventCodec.Format.RAW) {
            out.write(line);
            out.write('\n');
        } else {
            EventCodec.write(EventCodec.Format.JSON, LogEvent.of(line, Map.of(FETCH_ERROR, reason)), out);
        }
    }
}
