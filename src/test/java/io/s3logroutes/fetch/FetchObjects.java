package io.s3logroutes.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import io.s3logroutes.event.EventCodec;
import io.s3logroutes.event.LogEvent;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Test objects in the format ship writes ({@code raw}: line bytes and {@code \n}; {@code json}: one
 * {@link EventCodec#toJson} per line; {@code pickle}: one pickle after another; optionally one gzip stream), and the
 * NXLog script's one-event objects (the bare {@code raw_event}), built with the same {@link EventCodec}.
 */
final class FetchObjects {

    private FetchObjects() {
    }

    /** Events with NXLog's fields; some lines are not valid UTF-8, some are empty or very long. */
    static List<LogEvent> events(String host, int n, Random r) {
        List<LogEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put(LogEvent.EVENT_RECEIVED_TIME, "2018-05-17 13:45:" + String.format("%02d", i % 60));
            f.put(LogEvent.SOURCE_MODULE_NAME, "in_file");
            f.put(LogEvent.SOURCE_MODULE_TYPE, "im_file");
            f.put(LogEvent.HOSTNAME, host);
            f.put(LogEvent.FILE_NAME, "/var/log/app.log");
            f.put("SeverityValue", r.nextInt(6));
            byte[] raw;
            int kind = r.nextInt(20);
            if (kind == 0) {
                raw = ("caf\u00e9 " + i + " ").getBytes(StandardCharsets.ISO_8859_1); // not UTF-8
            } else if (kind == 1) {
                raw = new byte[0];
            } else if (kind == 2) {
                raw = ("long " + "x".repeat(5000 + r.nextInt(5000)) + " " + i).getBytes(StandardCharsets.UTF_8);
            } else {
                raw = (host + " event " + i + " \u00fcber \"quoted\" \ttab " + r.nextLong()).getBytes(StandardCharsets.UTF_8);
            }
            out.add(LogEvent.of(raw, f));
        }
        return out;
    }

    /** A batched object as ship writes it. */
    static byte[] body(List<LogEvent> events, EventCodec.Format format, boolean gzip) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            var out = gzip ? new GZIPOutputStream(bytes) : bytes;
            for (LogEvent e : events) {
                EventCodec.write(format, e, out);
            }
            out.close();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A one-event object of the NXLog script: the bare raw_event (raw), one JSON event, or one pickle. */
    static byte[] nxlogBody(LogEvent e, EventCodec.Format format, boolean gzip) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            var out = gzip ? new GZIPOutputStream(bytes) : bytes;
            out.write(format == EventCodec.Format.RAW ? e.raw() : format == EventCodec.Format.JSON ? EventCodec.toJson(e)
                    : EventCodec.line(format, e));
            out.close();
            return bytes.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static byte[] gzip(byte[] plain) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
                out.write(plain);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void put(S3Client s3, String bucket, String key, byte[] body, boolean gzip) {
        s3.putObject(b -> {
            b.bucket(bucket).key(key).contentType(gzip ? "application/gzip" : "text/plain");
            if (gzip) {
                b.contentEncoding("gzip");
            }
        }, RequestBody.fromBytes(body));
    }

    /** What fetch writes for these events in its output format. */
    static byte[] expected(List<LogEvent> events, EventCodec.Format format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (LogEvent e : events) {
                EventCodec.write(format, e, out);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The events of an NDJSON output file. */
    static List<LogEvent> parse(byte[] ndjson) throws IOException {
        List<LogEvent> out = new ArrayList<>();
        for (String line : new String(ndjson, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                out.add(EventCodec.fromJson(line));
            }
        }
        return out;
    }

    /** The same events with only their raw bytes (what a raw object carries). */
    static List<LogEvent> rawOnly(List<LogEvent> events) {
        return events.stream().map(e -> LogEvent.of(e.raw(), Map.of())).toList();
    }

    /** Objects written for a test: their keys in order, and the raw output fetch must produce from them. */
    record Written(List<String> keys, java.io.ByteArrayOutputStream expected) {
        String lastKey() {
            return keys.get(keys.size() - 1);
        }
    }

    /**
     * Puts {@code n} gzip NDJSON objects of 1 to 10 events, one second apart from 2018-05-17T00:00Z, under ship's key
     * layout for {@code server}.
     */
    static Written putSeconds(S3Client s3, String bucket, String server, String host, int n, Random r) {
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        List<String> keys = new java.util.ArrayList<>();
        java.time.Instant t0 = java.time.Instant.parse("2018-05-17T00:00:00Z");
        for (int i = 0; i < n; i++) {
            List<LogEvent> events = events(host, 1 + r.nextInt(10), r);
            String key = FetchIT.key(server, t0.plusSeconds(i), 1, true);
            put(s3, bucket, key, body(events, EventCodec.Format.JSON, true), true);
            expected.writeBytes(expected(events, EventCodec.Format.RAW));
            keys.add(key);
        }
        return new Written(keys, expected);
    }
}
