package io.s3logroutes.ship;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import io.s3logroutes.event.EventCodec;
import io.s3logroutes.event.LogEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BatchWriterTest {

    static LogEvent event(String s) {
        return LogEvent.ofText(s, Map.of("SourceModuleType", "file"));
    }

    /** Fills batches of at most max bytes like the pipeline does and returns their contents. */
    static List<byte[]> batches(int lines, long max, boolean gzip) throws IOException {
        Random r = new Random(42);
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        BatchWriter w = new BatchWriter(target, gzip, 6, max);
        for (int i = 0; i < lines; i++) {
            String line = "2026-11-22T02:00:00Z host app[" + i + "]: request " + Long.toHexString(r.nextLong())
                    + " took " + r.nextInt(1000) + " ms status=" + (200 + r.nextInt(5));
            byte[] enc = EventCodec.line(EventCodec.Format.RAW, event(line));
            if (!w.fits(enc.length)) {
                w.finish();
                out.add(target.toByteArray());
                target = new ByteArrayOutputStream();
                w = new BatchWriter(target, gzip, 6, max);
            }
            w.write(enc);
        }
        w.finish();
        out.add(target.toByteArray());
        return out;
    }

    @Test
    void gzipBatchesLandJustUnderTheSizeAskedFor() throws IOException {
        long max = 64 * 1024;
        List<byte[]> b = batches(60_000, max, true);
        assertThat(b.size()).isGreaterThan(3);
        for (byte[] x : b.subList(0, b.size() - 1)) {
            assertThat((long) x.length).isLessThanOrEqualTo(max).isGreaterThan(max - 512);
        }
        StringBuilder all = new StringBuilder();
        for (byte[] x : b) {
            all.append(new String(new GZIPInputStream(new ByteArrayInputStream(x)).readAllBytes(), StandardCharsets.UTF_8));
        }
        assertThat(all.toString().split("\n")).hasSize(60_000);
    }

    @Test
    void plainBatchesLandJustUnderTheSizeAskedFor() throws IOException {
        long max = 16 * 1024;
        List<byte[]> b = batches(5_000, max, false);
        for (byte[] x : b.subList(0, b.size() - 1)) {
            assertThat((long) x.length).isLessThanOrEqualTo(max).isGreaterThan(max - 200);
        }
    }

    @Test
    void eventsReachTheObjectWholeAroundTheGzipInputBufferAndWithTheLineEndAddedOnWriting() throws IOException {
        byte[][] bodies = {"abc".getBytes(StandardCharsets.UTF_8), "y".repeat(40).getBytes(StandardCharsets.UTF_8),
            "z".repeat(15).getBytes(StandardCharsets.UTF_8), new byte[0], "d".repeat(16).getBytes(StandardCharsets.UTF_8)};
        boolean[] newline = {true, true, false, true, false};
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < bodies.length; i++) {
            expected.write(bodies[i]);
            if (newline[i]) {
                expected.write('\n');
            }
        }
        for (boolean gzip : new boolean[] {true, false}) {
            byte[] input = new byte[16];   // smaller than some events: those go to deflate directly
            ByteArrayOutputStream target = new ByteArrayOutputStream();
            BatchWriter w = new BatchWriter(target, gzip, 6, 1 << 20, input);
            for (int i = 0; i < bodies.length; i++) {
                assertThat(w.fits(bodies[i].length + (newline[i] ? 1 : 0))).isTrue();
                w.write(bodies[i], newline[i]);
            }
            assertThat(w.events()).isEqualTo(bodies.length);
            long written = w.finish();
            byte[] object = target.toByteArray();
            assertThat(written).isEqualTo(object.length);
            byte[] content = gzip ? new GZIPInputStream(new ByteArrayInputStream(object)).readAllBytes() : object;
            assertThat(content).as("gzip " + gzip).isEqualTo(expected.toByteArray());
            assertThat(w.gzipInput()).isSameAs(gzip ? input : null);
        }
    }

    @Test
    void jsonLinesHoldEveryField() throws IOException {
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        BatchWriter w = new BatchWriter(target, false, 6, 1 << 20);
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("Hostname", "h");
        fields.put("FileName", "/x.log");
        w.write(EventCodec.line(EventCodec.Format.JSON, LogEvent.ofText("hello", fields)));
        w.finish();
        assertThat(target.toString(StandardCharsets.UTF_8))
                .isEqualTo("{\"raw_event\":\"hello\",\"Hostname\":\"h\",\"FileName\":\"/x.log\"}\n");
    }

    @Test
    void invalidUtf8KeepsItsBytesInJson() throws IOException {
        byte[] raw = {'a', (byte) 0xFF, 'b'};
        LogEvent e = LogEvent.of(raw, Map.of("Hostname", "h"));
        String json = new String(EventCodec.toJson(e), StandardCharsets.UTF_8);
        assertThat(json).contains("\"raw_event_b64\":\"Yf9i\"").contains("\"raw_event\":\"a\uFFFDb\"");
        assertThat(EventCodec.fromJson(json).raw()).containsExactly(raw);
        assertThat(EventCodec.fromJson(json).fields()).containsEntry("Hostname", "h");
    }

    @Test
    void aSingleEventLargerThanTheLimitStillShipsAlone() throws IOException {
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        BatchWriter w = new BatchWriter(target, false, 6, 1024);
        byte[] big = EventCodec.line(EventCodec.Format.RAW, event("x".repeat(5000)));
        assertThat(w.fits(big.length)).isTrue();
        w.write(big);
        assertThat(w.fits(1)).isFalse();
    }
}
