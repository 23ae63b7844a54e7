package io.s3logroutes.event;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.s3logroutes.testing.Python3;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What ship writes with {@code s3logs.ship.format=pickle}: the exact opcodes of a small event, and Python 3's
 * {@code pickle.loads} reading every kind of field ({@code src/test/resources/fixtures/pickle/load.py}, which also
 * fails on any opcode beyond the few protocol-2 ones ship writes).
 */
class EventPickleTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aSmallEventIsTheseProtocol2Opcodes() throws Exception {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("n", 1);
        f.put("t", true);
        byte[] p = EventPickle.encode(LogEvent.ofText("a\u00e9", f));
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        want.writeBytes(new byte[]{(byte) 0x80, 2, '}', '('}); // PROTO 2, EMPTY_DICT, MARK
        want.writeBytes(new byte[]{'X', 9, 0, 0, 0});          // BINUNICODE of 9 bytes
        want.writeBytes("raw_event".getBytes(StandardCharsets.US_ASCII));
        want.writeBytes(new byte[]{'X', 3, 0, 0, 0, 'a', (byte) 0xc3, (byte) 0xa9});
        want.writeBytes(new byte[]{'X', 1, 0, 0, 0, 'n', 'K', 1}); // BININT1 1
        want.writeBytes(new byte[]{'X', 1, 0, 0, 0, 't', (byte) 0x88}); // NEWTRUE
        want.writeBytes(new byte[]{'u', '.'});                 // SETITEMS, STOP
        assertThat(p).isEqualTo(want.toByteArray());
        assertThat(EventCodec.line(EventCodec.Format.PICKLE, LogEvent.ofText("a\u00e9", f))).isEqualTo(p);
    }

    /** Events with every kind of value ship's events hold. */
    static List<LogEvent> events() {
        List<LogEvent> out = new ArrayList<>();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("EventReceivedTime", "2026-11-22T02:14:20.123Z");
        f.put("SourceModuleName", "ship-file");
        f.put("Hostname", "h\u00f6st");
        f.put("Zero", 0);
        f.put("Byte", 255);
        f.put("Short", 256);
        f.put("Char", 65535);
        f.put("Int", 65536);
        f.put("Minus", -1);
        f.put("MinInt", Integer.MIN_VALUE);
        f.put("MaxLong", Long.MAX_VALUE);
        f.put("MinLong", Long.MIN_VALUE);
        f.put("Big", BigInteger.TWO.pow(100));
        f.put("NegBig", BigInteger.TWO.pow(100).negate());
        f.put("Huge", BigInteger.TWO.pow(2100).add(BigInteger.ONE));
        f.put("Ratio", 0.1);
        f.put("Float", 1.5f);
        f.put(LogEvent.LINE_PART, 1);
        f.put(LogEvent.LINE_CONTINUED, true);
        f.put("No", false);
        f.put("Emoji", "\ud83d\ude00 \u20ac");
        out.add(LogEvent.ofText("line with \"quotes\" \\ \t and unicode caf\u00e9", f));
        out.add(LogEvent.of(new byte[]{'c', 'a', 'f', (byte) 0xe9, ' ', (byte) 0xff}, Map.of("FileName", "/var/log/a.log")));
        out.add(LogEvent.of(new byte[0], Map.of()));
        out.add(LogEvent.ofText("x".repeat(70_000), Map.of("Long", "y".repeat(300))));
        return out;
    }

    @Test
    void pythonLoadsWhatShipWrites() throws Exception {
        Assumptions.assumeTrue(Python3.available(), Python3.MISSING);
        List<LogEvent> events = events();
        List<String> files = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            byte[] p = EventPickle.encode(events.get(i));
            Path plain = dir.resolve(i + ".pickle");
            Files.write(plain, p);
            Path gz = dir.resolve(i + ".pickle.gz");
            try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
                out.write(p);
            }
            files.add(plain.toString());
            files.add(gz.toString());
        }
        String out = Python3.run(Path.of("src/test/resources/fixtures/pickle/load.py"), files);
        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(files.size());
        TypeReference<LinkedHashMap<String, Object>> map = new TypeReference<>() {
        };
        for (int i = 0; i < files.size(); i++) {
            LogEvent e = events.get(i / 2);
            // Python's dict: the fields of the NDJSON line, in its order (raw_event_b64 for the line not UTF-8)
            LinkedHashMap<String, Object> expected = JSON.readValue(EventCodec.toJson(e), map);
            LinkedHashMap<String, Object> loaded = JSON.readValue(lines.get(i), map);
            assertThat(new ArrayList<>(loaded.entrySet())).as(files.get(i))
                    .containsExactlyElementsOf(expected.entrySet());
        }
    }
}
