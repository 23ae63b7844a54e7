package io.s3logroutes.fetch;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

import io.s3logroutes.event.EventCodec;
import io.s3logroutes.event.LogEvent;

/**
 * Writes events in the output format. {@code raw}: the {@code raw_event} bytes and {@code \n}; the parts of a line
 * that ship split ({@code LineContinued}) are joined back into one line. {@code json}: one {@link EventCodec#toJson}
 * line per event, every field restored (a line that could not be decoded carries {@link ObjectReader#FETCH_ERROR}).
 */
public final class EventWriter {

    private final EventCodec.Format format;

    public EventWriter(EventCodec.Format format) {
        this.format = format;
    }

    public void write(List<LogEvent> events, OutputStream out) throws IOException {
        for (LogEvent e : events) {
            write(e, out);
        }
    }

    public void write(LogEvent e, OutputStream out) throws IOException {
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
}
