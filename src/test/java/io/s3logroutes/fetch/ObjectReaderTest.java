package io.s3logroutes.fetch;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.s3logroutes.event.EventCodec;
import io.s3logroutes.event.LogEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObjectReaderTest {

    record Out(ObjectReader.Result result, byte[] bytes) {
    }

    static Out read(byte[] body, ObjectReader.InputFormat in, EventCodec.Format out, long cap) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ObjectReader.Result r = readAll(new ByteArrayInputStream(body), in, cap, out, bytes);
        return new Out(r, bytes.toByteArray());
    }

    /** Decodes in small chunks (3 events or 100 bytes), as fetch does in chunks of thousands. */
    static ObjectReader.Result readAll(InputStream body, ObjectReader.InputFormat in, long cap, EventCodec.Format out,
                                       ByteArrayOutputStream bytes) throws IOException {
        ObjectReader reader = ObjectReader.open(body, in, cap);
        EventWriter writer = new EventWriter(out);
        for (List<LogEvent> chunk; (chunk = reader.next(3, 100)) != null; ) {
            assertThat(chunk).isNotEmpty().hasSizeLessThanOrEqualTo(3);
            writer.write(chunk, bytes);
        }
        assertThat(reader.next(3, 100)).isNull();
        return reader.result();
    }

    @Test
    void everyFormatRoundTripsThroughTheSharedCodec() throws Exception {
        List<LogEvent> events = FetchObjects.events("h1", 200, new Random(1));
        for (EventCodec.Format f : EventCodec.Format.values()) {
            for (boolean gz : new boolean[]{false, true}) {
                Out o = read(FetchObjects.body(events, f, gz), ObjectReader.InputFormat.AUTO, EventCodec.Format.JSON,
                        1L << 30);
                assertThat(o.result().gzip()).isEqualTo(gz);
                assertThat(o.result().events()).isEqualTo(200);
                assertThat(FetchObjects.parse(o.bytes())).as(f + " gzip=" + gz)
                        .containsExactlyElementsOf(f != EventCodec.Format.RAW ? events : FetchObjects.rawOnly(events));
                Out raw = read(FetchObjects.body(events, f, gz), ObjectReader.InputFormat.AUTO, EventCodec.Format.RAW,
                        1L << 30);
                assertThat(raw.bytes()).isEqualTo(FetchObjects.expected(events, EventCodec.Format.RAW));
            }
        }
    }

    @Test
    void aLastLineWithoutNewlineIsAnEvent() throws Exception {
        LogEvent e = LogEvent.ofText("nxlog event", java.util.Map.of());
        Out o = read(FetchObjects.nxlogBody(e, EventCodec.Format.RAW, true), ObjectReader.InputFormat.AUTO,
                EventCodec.Format.RAW, 1 << 20);
        assertThat(new String(o.bytes(), StandardCharsets.UTF_8)).isEqualTo("nxlog event\n");
    }

    @Test
    void anEmptyObjectIsTheNxlogScriptsEmptyEvent() throws Exception {
        Out o = read(new byte[0], ObjectReader.InputFormat.AUTO, EventCodec.Format.RAW, 1 << 20);
        assertThat(o.result().events()).isEqualTo(1);
        assertThat(o.bytes()).isEqualTo(new byte[]{'\n'});
        Out gz = read(FetchObjects.gzip(new byte[0]), ObjectReader.InputFormat.AUTO, EventCodec.Format.RAW, 1 << 20);
        assertThat(gz.bytes()).isEqualTo(new byte[]{'\n'});
    }

    @Test
    void multiMemberGzipIsReadWholeEvenWhenTheSourceReportsNothingAvailable() throws Exception {
        byte[] a = FetchObjects.gzip("one\ntwo\n".getBytes(StandardCharsets.UTF_8));
        byte[] b = FetchObjects.gzip("three\n".getBytes(StandardCharsets.UTF_8));
        byte[] both = concat(a, b);
        InputStream slow = new ByteArrayInputStream(both) {
            @Override
            public synchronized int available() {
                return 0;
            }

            @Override
            public synchronized int read(byte[] buf, int off, int len) {
                return super.read(buf, off, Math.min(len, 7));
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        readAll(slow, ObjectReader.InputFormat.RAW, 1 << 20, EventCodec.Format.RAW, out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("one\ntwo\nthree\n");
    }

    @Test
    void gzipIsDetectedByItsMagicNotByTheKey() throws Exception {
        Out plain = read("\u001fnot gzip\n".getBytes(StandardCharsets.UTF_8), ObjectReader.InputFormat.AUTO,
                EventCodec.Format.RAW, 1 << 20);
        assertThat(plain.result().gzip()).isFalse();
        assertThat(plain.result().events()).isEqualTo(1);
    }

    @Test
    void aGzipBombStopsAtTheCap() {
        byte[] bomb = FetchObjects.gzip(new byte[50 << 20]);
        assertThat(bomb.length).isLessThan(100_000);
        assertThatThrownBy(() -> read(bomb, ObjectReader.InputFormat.AUTO, EventCodec.Format.RAW, 1 << 20))
                .isInstanceOf(ObjectReader.BadObjectException.class)
                .hasMessageContaining("1.0 MiB").hasMessageContaining("s3logs.fetch.max-object-bytes");
    }

    @Test
    void corruptAndTruncatedGzipAreBadObjects() {
        byte[] gz = FetchObjects.gzip("hello world, hello world, hello world\n".repeat(100).getBytes(StandardCharsets.UTF_8));
        byte[] truncated = Arrays.copyOf(gz, gz.length / 2);
        assertThatThrownBy(() -> read(truncated, ObjectReader.InputFormat.AUTO, EventCodec.Format.RAW, 1 << 20))
                .isInstanceOf(ObjectReader.BadObjectException.class);
        byte[] corrupt = gz.clone();
        for (int i = 12; i < 30; i++) {
            corrupt[i] = (byte) 0xff;
        }
        assertThatThrownBy(() -> read(corrupt, ObjectReader.InputFormat.AUTO, EventCodec.Format.RAW, 1 << 20))
                .isInstanceOf(ObjectReader.BadObjectException.class).hasMessageContaining("gzip");
        byte[] trailing = concat(gz, "garbage after it".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> read(trailing, ObjectReader.InputFormat.AUTO, EventCodec.Format.RAW, 1 << 20))
                .isInstanceOf(ObjectReader.BadObjectException.class);
    }

    @Test
    void anUndecodableJsonLineIsWrittenRawAndFlagged() throws Exception {
        List<LogEvent> events = FetchObjects.events("h", 3, new Random(2));
        byte[] body = concat(FetchObjects.body(events.subList(0, 2), EventCodec.Format.JSON, false),
                "{\"raw_event\": broken\n".getBytes(StandardCharsets.UTF_8),
                FetchObjects.body(events.subList(2, 3), EventCodec.Format.JSON, false));
        Out json = read(body, ObjectReader.InputFormat.AUTO, EventCodec.Format.JSON, 1 << 20);
        assertThat(json.result().events()).isEqualTo(3);
        assertThat(json.result().badLines()).isEqualTo(1);
        assertThat(json.result().firstBadLine()).startsWith("line 3 is not a JSON event");
        List<LogEvent> back = FetchObjects.parse(json.bytes());
        assertThat(back).hasSize(4);
        assertThat(back.get(2).rawText()).isEqualTo("{\"raw_event\": broken");
        assertThat((String) back.get(2).field(ObjectReader.FETCH_ERROR)).startsWith("line 3");
        assertThat(List.of(back.get(0), back.get(1), back.get(3))).containsExactlyElementsOf(events);
        Out raw = read(body, ObjectReader.InputFormat.AUTO, EventCodec.Format.RAW, 1 << 20);
        assertThat(new String(raw.bytes(), StandardCharsets.UTF_8).split("\n")[2]).isEqualTo("{\"raw_event\": broken");
    }

    @Test
    void rawLinesThatLookLikeJsonStayRawInAutoMode() throws Exception {
        byte[] body = "{not json\n{\"a\":1}\n".getBytes(StandardCharsets.UTF_8);
        Out o = read(body, ObjectReader.InputFormat.AUTO, EventCodec.Format.RAW, 1 << 20);
        assertThat(o.result().format()).isEqualTo(ObjectReader.InputFormat.RAW);
        assertThat(o.bytes()).isEqualTo(body);
        assertThat(o.result().badLines()).isZero();
    }

    @Test
    void splitLinesAreJoinedInRawOutput() throws Exception {
        List<LogEvent> parts = new ArrayList<>();
        parts.add(LogEvent.ofText("aaa", java.util.Map.of(LogEvent.LINE_PART, 1, LogEvent.LINE_CONTINUED, true)));
        parts.add(LogEvent.ofText("bbb", java.util.Map.of(LogEvent.LINE_PART, 2)));
        Out o = read(FetchObjects.body(parts, EventCodec.Format.JSON, false), ObjectReader.InputFormat.JSON,
                EventCodec.Format.RAW, 1 << 20);
        assertThat(new String(o.bytes(), StandardCharsets.UTF_8)).isEqualTo("aaabbb\n");
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
