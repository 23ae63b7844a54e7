package io.s3logroutes.ship;

import java.io.IOException;
import java.util.List;

import io.s3logroutes.event.Durable;
import io.s3logroutes.event.EventCodec;
import io.s3logroutes.event.LogEvent;

/**
 * The serialized events of one chunk, as the batch step appends them to the open batch: each event's line in the
 * object format, its input ({@code SourceModuleName}, for the per-input counts), its key pattern ({@code null}: the
 * configured one; {@link LogEvent#keyPattern()}) and what its input does once it is durable; {@code trailing}, what
 * the input does once all of them are (the chunk's last events were dropped by the event stage), or {@code null}.
 */
public final class Records {

    /** Each event's encoding; for raw lines with a line end, the event's own bytes, the {@code \n} added on writing. */
    private final byte[][] lines;
    private final boolean newlineAfter;
    private final String[] inputs;
    private final Durable[] durable;
    private final String[] keyPatterns;
    private final Durable trailing;

    private Records(byte[][] lines, boolean newlineAfter, String[] inputs, Durable[] durable, String[] keyPatterns,
                    Durable trailing) {
        this.lines = lines;
        this.newlineAfter = newlineAfter;
        this.inputs = inputs;
        this.durable = durable;
        this.keyPatterns = keyPatterns;
        this.trailing = trailing;
    }

    /** Serializes a chunk in the object format (raw lines or NDJSON), each event followed by {@code \n}. */
    public static Records of(List<LogEvent> events, EventCodec.Format format, Durable trailing) throws IOException {
        return of(events, format, true, trailing);
    }

    /**
     * Serializes a chunk in the object format; {@code newline=false} leaves out the {@code \n} after each event
     * (one event per object: the NXLog script's bare {@code raw_event}).
     */
    public static Records of(List<LogEvent> events, EventCodec.Format format, boolean newline, Durable trailing)
            throws IOException {
        int n = events.size();
        byte[][] lines = new byte[n][];
        String[] inputs = new String[n];
        Durable[] durable = new Durable[n];
        String[] keyPatterns = new String[n];
        // raw lines are not copied to append the line end: the writer adds it
        boolean newlineAfter = newline && format == EventCodec.Format.RAW;
        for (int i = 0; i < n; i++) {
            LogEvent e = events.get(i);
            lines[i] = newline && !newlineAfter ? EventCodec.line(format, e) : EventCodec.body(format, e);
            Object input = e.fields().get(LogEvent.SOURCE_MODULE_NAME);
            inputs[i] = input == null ? null : input.toString();
            durable[i] = e.durable();
            keyPatterns[i] = e.keyPattern();
        }
        return new Records(lines, newlineAfter, inputs, durable, keyPatterns, trailing);
    }

    public int size() {
        return lines.length;
    }

    /** Event {@code i} as written into the object (a copy when the line end is added on writing). */
    public byte[] line(int i) {
        return newlineAfter ? EventCodec.withLineEnd(lines[i]) : lines[i];
    }

    /** Bytes of event {@code i} as written into the object. */
    public int length(int i) {
        return lines[i].length + (newlineAfter ? 1 : 0);
    }

    /** Appends event {@code i} to a batch. */
    public void writeTo(int i, BatchWriter writer) throws IOException {
        writer.write(lines[i], newlineAfter);
    }

    public String input(int i) {
        return inputs[i];
    }

    public Durable durable(int i) {
        return durable[i];
    }

    /** The key pattern of event {@code i}; {@code null} for {@code s3logs.ship.key-pattern}. */
    public String keyPattern(int i) {
        return keyPatterns[i];
    }

    public Durable trailing() {
        return trailing;
    }

    /** Bytes of all lines. */
    public long bytes() {
        long b = newlineAfter ? lines.length : 0;
        for (byte[] l : lines) {
            b += l.length;
        }
        return b;
    }
}
