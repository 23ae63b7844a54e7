package io.s3logroutes.event;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One log event: the original line bytes ({@code raw_event}) and its other fields, with NXLog's field names.
 * The same class is written by ship and restored by fetch.
 *
 * <p>At the event stage of a route an event is also a read-only {@code Map}: {@code raw_event} (the line as text)
 * first, then every other field, so that Simple reaches any field as {@code ${body[raw_event]}} or
 * {@code ${body[Hostname]}}. Fields are written through headers ({@link EventStage}), never by changing the map.
 */
public final class LogEvent extends AbstractMap<String, Object> {

    public static final String RAW_EVENT = "raw_event";
    public static final String RAW_EVENT_B64 = "raw_event_b64";
    public static final String EVENT_RECEIVED_TIME = "EventReceivedTime";
    public static final String SOURCE_MODULE_NAME = "SourceModuleName";
    public static final String SOURCE_MODULE_TYPE = "SourceModuleType";
    public static final String HOSTNAME = "Hostname";
    public static final String FILE_NAME = "FileName";
    /** 1-based part number of a line longer than {@code s3logs.ship.max-line-bytes} that was split. */
    public static final String LINE_PART = "LinePart";
    /** {@code true} on every part of a split line but the last. */
    public static final String LINE_CONTINUED = "LineContinued";

    private final byte[] raw;
    private final Map<String, Object> fields;
    private final Durable durable;
    private final String keyPattern;

    private LogEvent(byte[] raw, Map<String, Object> fields, Durable durable, String keyPattern) {
        this.raw = raw;
        this.fields = fields;
        this.durable = durable;
        this.keyPattern = keyPattern;
    }

    /** @param fields every field but {@code raw_event}, in the order they are to be written */
    public static LogEvent of(byte[] raw, Map<String, ?> fields) {
        return of(raw, fields, null);
    }

    /** @param durable what the input does once the event is durable in the ship spool, or {@code null} */
    public static LogEvent of(byte[] raw, Map<String, ?> fields, Durable durable) {
        Objects.requireNonNull(raw, "raw");
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        copy.remove(RAW_EVENT);
        copy.remove(RAW_EVENT_B64);
        return new LogEvent(raw, Collections.unmodifiableMap(copy), durable, null);
    }

    /**
     * Like {@link #of(byte[], Map)}, but takes {@code fields} over instead of copying it: for inputs that build a new
     * map per event and drop it.
     */
    public static LogEvent ofOwned(byte[] raw, LinkedHashMap<String, Object> fields) {
        return ofOwned(raw, fields, null);
    }

    /** Like {@link #of(byte[], Map, Durable)}, taking {@code fields} over instead of copying it. */
    public static LogEvent ofOwned(byte[] raw, LinkedHashMap<String, Object> fields, Durable durable) {
        return ofShared(raw, shareable(fields), durable);
    }

    /**
     * Fields that many events may share ({@link #ofShared}): {@code fields} without {@code raw_event} and
     * {@code raw_event_b64}, read-only.
     */
    public static Map<String, Object> shareable(LinkedHashMap<String, Object> fields) {
        fields.remove(RAW_EVENT);
        fields.remove(RAW_EVENT_B64);
        return Collections.unmodifiableMap(fields);
    }

    /**
     * An event over fields from {@link #shareable}, neither copied nor wrapped again: the lines of one read share
     * them.
     */
    public static LogEvent ofShared(byte[] raw, Map<String, Object> shareable, Durable durable) {
        Objects.requireNonNull(raw, "raw");
        return new LogEvent(raw, shareable, durable, null);
    }

    /** The same event with another {@link Durable}; raw bytes and fields are shared, not copied. */
    public LogEvent withDurable(Durable d) {
        return new LogEvent(raw, fields, d, keyPattern);
    }

    /**
     * The same event shipped under another key pattern ({@code null}: {@code s3logs.ship.key-pattern}); raw bytes and
     * fields are shared, not copied. The pattern is not a field: it is never written into an object.
     */
    public LogEvent withKeyPattern(String pattern) {
        return Objects.equals(pattern, keyPattern) ? this : new LogEvent(raw, fields, durable, pattern);
    }

    /** The key pattern ship stores this event under; {@code null} for {@code s3logs.ship.key-pattern}. */
    public String keyPattern() {
        return keyPattern;
    }

    /** What the input does once this event is durable in the ship spool; {@code null} when nothing. */
    public Durable durable() {
        return durable;
    }

    public static LogEvent ofText(String raw, Map<String, ?> fields) {
        return of(raw.getBytes(StandardCharsets.UTF_8), fields);
    }

    /** The line as received, without its line end. */
    public byte[] raw() {
        return raw;
    }

    /** The line decoded as UTF-8; invalid sequences become U+FFFD. */
    public String rawText() {
        return new String(raw, StandardCharsets.UTF_8);
    }

    public boolean isValidUtf8() {
        return isValidUtf8(raw);
    }

    public static boolean isValidUtf8(byte[] b) {
        for (byte x : b) {
            if (x < 0) {
                try {
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
                    return true;
                } catch (CharacterCodingException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Every field but {@code raw_event}. */
    public Map<String, Object> fields() {
        return fields;
    }

    public Object field(String name) {
        return RAW_EVENT.equals(name) ? rawText() : fields.get(name);
    }

    /** The map view: {@code raw_event} as text, then the fields. */
    @Override
    public Object get(Object key) {
        return RAW_EVENT.equals(key) ? rawText() : fields.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return RAW_EVENT.equals(key) || fields.containsKey(key);
    }

    @Override
    public int size() {
        return fields.size() + 1;
    }

    @Override
    public java.util.Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                Iterator<Entry<String, Object>> rest = fields.entrySet().iterator();
                return new Iterator<>() {
                    private boolean first = true;

                    @Override
                    public boolean hasNext() {
                        return first || rest.hasNext();
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (first) {
                            first = false;
                            return new SimpleImmutableEntry<>(RAW_EVENT, rawText());
                        }
                        return rest.next();
                    }
                };
            }

            @Override
            public int size() {
                return LogEvent.this.size();
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogEvent e && java.util.Arrays.equals(raw, e.raw) && fields.equals(e.fields);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(raw) * 31 + fields.hashCode();
    }

    @Override
    public String toString() {
        return "LogEvent" + fields + " " + rawText();
    }
}
