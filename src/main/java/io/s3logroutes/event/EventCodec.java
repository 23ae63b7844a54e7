package io.s3logroutes.event;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The object formats. {@code raw}: the line bytes and {@code \n}. {@code json}: one JSON object per line
 * (NDJSON) with {@code raw_event} first and every other field after it; a line that is not valid UTF-8 keeps its
 * exact bytes in {@code raw_event_b64}. {@code pickle} (ship only, one event per object): the same fields as a
 * protocol-2 Python pickle of a dict ({@link EventPickle}), without a line end.
 */
public final class EventCodec {

    public enum Format {
        RAW("raw", "text/plain; charset=utf-8"), JSON("json", "application/x-ndjson"),
        PICKLE("pickle", EventPickle.CONTENT_TYPE);

        private final String text;
        private final String contentType;

        Format(String text, String contentType) {
            this.text = text;
            this.contentType = contentType;
        }

        public String contentType() {
            return contentType;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private EventCodec() {
    }

    public static void write(Format format, LogEvent e, OutputStream out) throws IOException {
        if (format == Format.PICKLE) {
            out.write(EventPickle.encode(e));
            return;
        }
        out.write(format == Format.RAW ? e.raw() : toJson(e));
        out.write('\n');
    }

    /** One event as it is written into an object: its line and {@code \n}; for {@code pickle}, the pickle alone. */
    public static byte[] line(Format format, LogEvent e) throws JsonProcessingException {
        if (format == Format.PICKLE) {
            return EventPickle.encode(e);
        }
        if (format == Format.JSON) {
            return json(e, true);
        }
        return withLineEnd(e.raw());
    }

    /** A copy of {@code body} with {@code \n} after it: a raw line as it is written into an object. */
    public static byte[] withLineEnd(byte[] body) {
        byte[] line = java.util.Arrays.copyOf(body, body.length + 1);
        line[body.length] = '\n';
        return line;
    }

    /** One event in the format, without the {@code \n}: the line bytes, the JSON object, or the pickle. */
    public static byte[] body(Format format, LogEvent e) throws JsonProcessingException {
        return switch (format) {
            case RAW -> e.raw();
            case JSON -> toJson(e);
            case PICKLE -> EventPickle.encode(e);
        };
    }

    public static byte[] toJson(LogEvent e) throws JsonProcessingException {
        return json(e, false);
    }

    /**
     * The JSON object of an event, streamed field by field (what {@code writeValueAsBytes} of the map
     * {@code raw_event}, the fields, {@code raw_event_b64} gives, without building that map), optionally with the line
     * end.
     */
    private static byte[] json(LogEvent e, boolean newline) throws JsonProcessingException {
        ByteArrayBuilder out = new ByteArrayBuilder(MAPPER.getFactory()._getBufferRecycler(), 512);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField(LogEvent.RAW_EVENT, e.rawText());
            for (Map.Entry<String, Object> f : e.fields().entrySet()) {
                g.writeFieldName(f.getKey());
                Object v = f.getValue();
                if (v instanceof String t) {
                    g.writeString(t);
                } else if (v instanceof Integer i) {
                    g.writeNumber(i);
                } else {
                    g.writeObject(v);
                }
            }
            if (!e.isValidUtf8()) {
                g.writeStringField(LogEvent.RAW_EVENT_B64, Base64.getEncoder().encodeToString(e.raw()));
            }
            g.writeEndObject();
        } catch (JsonProcessingException x) {
            throw x;
        } catch (IOException x) {
            throw new IllegalStateException("writing JSON into memory failed", x);
        }
        if (newline) {
            out.write('\n');
        }
        byte[] b = out.toByteArray();
        out.release();
        return b;
    }

    /**
     * Restores an event from one NDJSON line: {@code raw_event_b64}, when present, gives back the exact bytes.
     *
     * @throws JsonProcessingException when the line is not a JSON object with a string {@code raw_event}
     */
    public static LogEvent fromJson(String line) throws JsonProcessingException {
        Map<String, Object> m = MAPPER.readValue(line, MAP);
        Object raw = m.remove(LogEvent.RAW_EVENT);
        if (!(raw instanceof String text)) {
            throw new com.fasterxml.jackson.core.JsonParseException(null, "no string raw_event field");
        }
        Object b64 = m.remove(LogEvent.RAW_EVENT_B64);
        byte[] bytes = b64 instanceof String s ? Base64.getDecoder().decode(s)
                : text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return LogEvent.of(bytes, m);
    }
}
