package io.s3logroutes.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.s3logroutes.event.EventCodec;
import io.s3logroutes.event.EventPickle;
import io.s3logroutes.event.LogEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pickled objects through {@link ObjectReader}: the fixtures of {@code src/test/resources/fixtures/pickle} (Python 3's
 * own pickles of protocols 2 to 5, and Python 2.7's protocol-0 form built opcode by opcode by {@code make.py} there,
 * which checks each with Python 3's {@code pickle.loads(..., encoding="latin1")}) give the events that
 * {@code make.py} derived from what Python loads ({@code NAME.expected.json}); bad pickles are bad objects naming
 * the pickle, the field and the type; nothing but the few types is built.
 */
class PickleReaderTest {

    static final Path FIXTURES = Path.of("src/test/resources/fixtures/pickle");
    static final ObjectMapper JSON = new ObjectMapper();
    static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    static byte[] fixture(String name) throws IOException {
        return Files.readAllBytes(FIXTURES.resolve(name));
    }

    /** The readable fixtures (with a {@code .expected.json}), the gzip'd ones included. */
    static List<String> readable() throws IOException {
        try (Stream<Path> s = Files.list(FIXTURES)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".pickle") || n.endsWith(".pickle.gz"))
                    .filter(n -> Files.exists(FIXTURES.resolve(n.replace(".gz", "") + ".expected.json")))
                    .sorted().toList();
        }
    }

    static LinkedHashMap<String, Object> expected(String fixture) throws IOException {
        return JSON.readValue(FIXTURES.resolve(fixture.replace(".gz", "") + ".expected.json").toFile(), MAP);
    }

    /** The line fetch writes with raw output for an expected event: the exact bytes. */
    static byte[] rawLine(Map<String, Object> expected) {
        Object b64 = expected.get("raw_event_b64");
        byte[] raw = b64 != null ? Base64.getDecoder().decode((String) b64)
                : ((String) expected.get("raw_event")).getBytes(StandardCharsets.UTF_8);
        byte[] line = Arrays.copyOf(raw, raw.length + 1);
        line[raw.length] = '\n';
        return line;
    }

    static List<LinkedHashMap<String, Object>> jsonLines(byte[] out) throws IOException {
        List<LinkedHashMap<String, Object>> lines = new ArrayList<>();
        for (String l : new String(out, StandardCharsets.UTF_8).split("\n")) {
            lines.add(JSON.readValue(l, MAP));
        }
        return lines;
    }

    @Test
    void everyFixtureGivesTheEventPythonLoads() throws Exception {
        List<String> fixtures = readable();
        assertThat(fixtures).contains("py2-proto0-event.pickle", "py2-proto0-event.pickle.gz",
                "py2-proto0-utf8.pickle", "py2-proto0-latin1.pickle", "py3-proto2.pickle", "py3-proto3.pickle",
                "py3-proto4.pickle", "py3-proto4.pickle.gz", "py3-proto5.pickle");
        for (String f : fixtures) {
            LinkedHashMap<String, Object> expected = expected(f);
            for (ObjectReader.InputFormat in : List.of(ObjectReader.InputFormat.AUTO, ObjectReader.InputFormat.PICKLE)) {
                ObjectReaderTest.Out json = ObjectReaderTest.read(fixture(f), in, EventCodec.Format.JSON, 1 << 20);
                assertThat(json.result().format()).isEqualTo(ObjectReader.InputFormat.PICKLE);
                assertThat(json.result().events()).isEqualTo(1);
                assertThat(json.result().gzip()).isEqualTo(f.endsWith(".gz"));
                LinkedHashMap<String, Object> got = jsonLines(json.bytes()).get(0);
                // the same fields, values and order
                assertThat(new ArrayList<>(got.entrySet())).as(f + " " + in)
                        .containsExactlyElementsOf(expected.entrySet());
                ObjectReaderTest.Out raw = ObjectReaderTest.read(fixture(f), in, EventCodec.Format.RAW, 1 << 20);
                assertThat(raw.bytes()).as(f + " raw").isEqualTo(rawLine(expected));
            }
        }
    }

    @Test
    void python2ByteStringsAreReadAsUtf8WithTheirExactBytesKept() throws Exception {
        LogEvent e = one(fixture("py2-proto0-latin1.pickle"));
        assertThat(e.raw()).isEqualTo("caf\u00e9 latin-1 \u0000\u0001\u007f\u00ff".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(e.fields()).containsEntry("FileName", "/var/log/caf\ufffd.log")
                .containsEntry("FileName_b64", Base64.getEncoder().encodeToString(
                        "/var/log/caf\u00e9.log".getBytes(StandardCharsets.ISO_8859_1)))
                .containsEntry("SeverityValue", 0);
        LogEvent utf8 = one(fixture("py2-proto0-utf8.pickle"));
        assertThat(utf8.rawText()).isEqualTo("caf\u00e9 \u20ac \"both\" 'quotes' \\ and\r\nends");
        assertThat(utf8.fields()).containsEntry("EventTime", "1999-12-31T23:59:59.999999")
                .containsEntry("FileName", "/var/log/caf\u00e9.log").doesNotContainKey("FileName_b64");
        LogEvent nx = one(fixture("py2-proto0-event.pickle"));
        assertThat(nx.fields()).containsEntry("EventReceivedTime", "2018-05-17T13:45:07")
                .containsEntry("SourceName", "in_file") // a GET of the memo
                .containsEntry("RecordNumber", 12345678901234L).containsEntry("Continued", true)
                .containsEntry("Message", "unicode caf\u00e9 \u20ac \\ back\nslash");
    }

    @Test
    void badPicklesAreBadObjectsNamingThePickleTheFieldAndTheType() throws Exception {
        assertThatThrownBy(() -> one(fixture("bad-list.pickle")))
                .isInstanceOf(ObjectReader.BadObjectException.class)
                .hasMessageContaining("pickle 1 (at byte 0)").hasMessageContaining("field 'tags' is a list");
        assertThatThrownBy(() -> one(fixture("bad-posix-system.pickle")))
                .isInstanceOf(ObjectReader.BadObjectException.class)
                .hasMessageContaining("field 'cmd' is a posix.system");
        assertThat(Path.of("pickle-ran-code")).as("the command in the pickle never ran").doesNotExist();
        // the second pickle of an object is the bad one: named by its number and where it starts
        byte[] good = fixture("py3-proto2.pickle");
        assertThatThrownBy(() -> all(concat(good, fixture("bad-list.pickle")), ObjectReader.InputFormat.AUTO))
                .hasMessageContaining("pickle 2 (at byte " + good.length + ")");
    }

    @Test
    void onlyTheFewTypesAreBuiltAnyOtherGlobalIsNamed() {
        Map<String, String> pickles = new LinkedHashMap<>();
        pickles.put(p0("cdatetime\ndate\n(S'\\x07\\xe2\\x05\\x11'\ntR"), "field 'v' is a datetime.date");
        pickles.put(p0("ccollections\nOrderedDict\n(tR"), "field 'v' is a collections.OrderedDict");
        pickles.put(p0("c__builtin__\neval\n(S'1+1'\ntR"), "field 'v' is a eval");
        pickles.put(p0("(icopy_reg\n_reconstructor\n"), "field 'v' is a copy_reg._reconstructor");
        pickles.put(p0("ccollections\nOrderedDict\n(tR(dp9\nS'a'\nI1\nsb"), "field 'v' is a collections.OrderedDict");
        pickles.put(p0("cdatetime\ndatetime\n(S'\\x07\\xe2\\x05\\x11\\r-\\x07\\x00\\x00\\x00'\n"
                + "cdateutil.tz\ntzutc\n(tRtR"), "field 'v' is a datetime.datetime with tzinfo dateutil.tz.tzutc");
        pickles.put(p0("N"), "field 'v' is a NoneType");
        pickles.put(p0("(I1\nI2\nt"), "field 'v' is a tuple");
        pickles.put(p0("F1e999\n"), "field 'v' is the float Infinity");
        pickles.put("(lp0\nS'raw_event'\na.", "holds a list, not a dict of fields");
        pickles.put("(dp0\nS'other'\nS'x'\ns.", "has no field 'raw_event' (the keys: [other])");
        pickles.put("(dp0\nI1\nS'x'\ns.", "has a key of type int");
        pickles.put("(dp0\nS'raw_event'\nI1\ns.", "field 'raw_event' is a int, not a text");
        pickles.put("(dp0\nS'raw_event'\nS'x'\nsS'raw_event_b64'\nS'!!'\ns.", "field 'raw_event_b64' is not base64");
        for (Map.Entry<String, String> p : pickles.entrySet()) {
            assertThatThrownBy(() -> one(p.getKey().getBytes(StandardCharsets.ISO_8859_1))).as(p.getKey())
                    .isInstanceOf(ObjectReader.BadObjectException.class).hasMessageContaining(p.getValue());
        }
    }

    /** A protocol-0 dict of a raw_event and the field {@code v} whose opcodes are given. */
    static String p0(String v) {
        return "(dp0\nS'raw_event'\np1\nS'line'\np2\nsS'v'\np3\n" + v + "s.";
    }

    @Test
    void timesAndNumbersAsPythonWritesThem() throws Exception {
        LogEvent e = one(p0("cdatetime\ndatetime\n(I2018\nI5\nI17\nI13\nI45\nI0\nI0\ncpytz\n_UTC\n(tRtR")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThat(e.fields()).containsEntry("v", "2018-05-17T13:45:00+00:00");
        LogEvent big = one(p0("L-123456789012345678901234567890L\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(big.fields()).containsEntry("v", new BigInteger("-123456789012345678901234567890"));
        assertThatThrownBy(() -> one(p0("cdatetime\ndatetime\n(S'\\x07\\xe2\\x0d\\x11\\r-\\x07\\x00\\x00\\x00'\ntR")
                .getBytes(StandardCharsets.ISO_8859_1))).hasMessageContaining("invalid datetime");
    }

    @Test
    void severalPicklesInOneObjectAreSeveralEventsAsInACollapsedObject() throws Exception {
        byte[] a = fixture("py2-proto0-event.pickle");
        byte[] b = fixture("py3-proto5.pickle");
        byte[] c = fixture("py2-proto0-latin1.pickle");
        List<LogEvent> plain = all(concat(a, b, c), ObjectReader.InputFormat.AUTO);
        // collapse joins gzip'd objects as gzip members in a row
        List<LogEvent> members = all(concat(FetchObjects.gzip(a), FetchObjects.gzip(b), FetchObjects.gzip(c)),
                ObjectReader.InputFormat.AUTO);
        List<LogEvent> one = List.of(one(a), one(b), one(c));
        assertThat(plain).containsExactlyElementsOf(one);
        assertThat(members).containsExactlyElementsOf(one);
    }

    @Test
    void whatShipPicklesFetchRestores() throws Exception {
        List<LogEvent> events = new ArrayList<>(FetchObjects.events("h1", 300, new Random(5)));
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Long", 1L << 40);
        f.put("Negative", -70000);
        f.put("Big", BigInteger.ONE.shiftLeft(80).negate());
        f.put("Huge", BigInteger.ONE.shiftLeft(2100));
        f.put("Double", 0.1);
        f.put(LogEvent.LINE_PART, 2);
        f.put(LogEvent.LINE_CONTINUED, true);
        f.put("Other", List.of("a", "b"));
        events.add(LogEvent.of(new byte[]{(byte) 0xff, 'x'}, f));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (LogEvent e : events) {
            body.writeBytes(EventCodec.line(EventCodec.Format.PICKLE, e));
        }
        List<LogEvent> back = all(body.toByteArray(), ObjectReader.InputFormat.AUTO);
        assertThat(back).hasSameSizeAs(events);
        for (int i = 0; i < events.size(); i++) {
            LogEvent e = events.get(i);
            assertThat(back.get(i).raw()).isEqualTo(e.raw());
            // as NDJSON: the same text (a list set at the event stage travels as its text)
            assertThat(new String(EventCodec.toJson(back.get(i)), StandardCharsets.UTF_8)).as("event " + i)
                    .isEqualTo(new String(EventCodec.toJson(i < 300 ? e : LogEvent.of(e.raw(), withText(f, "Other"))),
                            StandardCharsets.UTF_8));
        }
        assertThat(EventCodec.Format.PICKLE.contentType()).isEqualTo(EventPickle.CONTENT_TYPE);
    }

    static Map<String, Object> withText(Map<String, Object> f, String name) {
        Map<String, Object> m = new LinkedHashMap<>(f);
        m.put(name, String.valueOf(f.get(name)));
        return m;
    }

    @Test
    void autoRecognisesPicklesByTheirFirstOpcodesOnly() throws Exception {
        for (String f : readable()) {
            byte[] b = f.endsWith(".gz") ? new java.util.zip.GZIPInputStream(
                    new java.io.ByteArrayInputStream(fixture(f))).readAllBytes() : fixture(f);
            assertThat(PickleReader.looksLikePickle(b, Math.min(b.length, 8))).as(f).isTrue();
        }
        assertThat(PickleReader.looksLikePickle("}q\u0000(X".getBytes(StandardCharsets.ISO_8859_1), 5))
                .as("protocol 1").isTrue();
        for (String text : List.of("(debug) started", "(d) x", "}q", "} (closing)", "}qx done", "{\"raw_event\":\"x\"}",
                "\u0080\u0001", "\u0080\u0006abc", "", "(dp", "plain line")) {
            byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
            assertThat(PickleReader.looksLikePickle(b, b.length)).as(text).isFalse();
            if (!text.isEmpty()) {
                ObjectReaderTest.Out o = ObjectReaderTest.read((text + "\n").getBytes(StandardCharsets.ISO_8859_1),
                        ObjectReader.InputFormat.AUTO, EventCodec.Format.RAW, 1 << 20);
                assertThat(o.result().format()).as(text).isEqualTo(text.startsWith("{")
                        ? ObjectReader.InputFormat.JSON : ObjectReader.InputFormat.RAW);
            }
        }
    }

    @Test
    void truncatedCorruptOrNoPicklesAreBadObjects() throws Exception {
        byte[] p = fixture("py3-proto4.pickle");
        assertThatThrownBy(() -> one(Arrays.copyOf(p, p.length / 2)))
                .isInstanceOf(ObjectReader.BadObjectException.class).hasMessageContaining("pickle 1 (at byte 0)")
                .hasMessageContaining("not a valid pickle");
        assertThatThrownBy(() -> all(concat(p, "garbage\n".getBytes(StandardCharsets.US_ASCII)),
                ObjectReader.InputFormat.AUTO)).isInstanceOf(ObjectReader.BadObjectException.class)
                .hasMessageContaining("pickle 2 (at byte " + p.length + "): not a valid pickle");
        assertThatThrownBy(() -> all("a text line\n".getBytes(StandardCharsets.US_ASCII), ObjectReader.InputFormat.PICKLE))
                .isInstanceOf(ObjectReader.BadObjectException.class).hasMessageContaining("not a valid pickle");
        assertThatThrownBy(() -> all(new byte[0], ObjectReader.InputFormat.PICKLE))
                .isInstanceOf(ObjectReader.BadObjectException.class).hasMessageContaining("no pickle");
        byte[] truncatedGzip = FetchObjects.gzip(p);
        assertThatThrownBy(() -> one(Arrays.copyOf(truncatedGzip, truncatedGzip.length - 12)))
                .isInstanceOf(ObjectReader.BadObjectException.class).hasMessageContaining("pickle 1");
    }

    @Test
    void aLengthFieldAloneAllocatesNothing() {
        // BINBYTES of 2 GiB - 256 bytes followed by 3 bytes: read as they come, not allocated ahead
        byte[] huge4 = {(byte) 0x80, 3, '}', '(', 'B', 0, (byte) 0xff, (byte) 0xff, 0x7f, 'a', 'b', 'c'};
        assertThatThrownBy(() -> one(huge4)).isInstanceOf(ObjectReader.BadObjectException.class)
                .hasMessageContaining("premature end of file (a string of 2147483392 bytes ends after 3)");
        // BINUNICODE8 of 2^40 bytes: more than a Java array holds
        byte[] huge8 = {(byte) 0x80, 4, '}', '(', (byte) 0x8d, 0, 0, 0, 0, 0, 1, 0, 0, 'a', 'b', 'c'};
        assertThatThrownBy(() -> one(huge8)).isInstanceOf(ObjectReader.BadObjectException.class)
                .hasMessageContaining("a string of 1099511627776 bytes");
    }

    @Test
    void python2StringEscapesAndRawUnicodeEscape() {
        assertThat(PickleParser.escapedBytes("'caf\\xc3\\xa9 \\t\\n\\r\\\\ \\' \\101\\0'"))
                .isEqualTo("caf\u00c3\u00a9 \t\n\r\\ ' A\0".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(PickleParser.escapedBytes("\"it's\"")).isEqualTo("it's".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> PickleParser.escapedBytes("'no end")).hasMessageContaining("not quoted");
        assertThatThrownBy(() -> PickleParser.escapedBytes("'\\x4'")).hasMessageContaining("short \\x");
        assertThat(PickleParser.rawUnicodeEscape("caf\u00e9 \\u20ac \\U0001f600 \\u005c \\\\u0041 a\\b"))
                .isEqualTo("caf\u00e9 \u20ac \ud83d\ude00 \\ \\\\u0041 a\\b");
    }

    static LogEvent one(byte[] body) throws IOException {
        List<LogEvent> events = all(body, ObjectReader.InputFormat.PICKLE);
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    static List<LogEvent> all(byte[] body, ObjectReader.InputFormat format) throws IOException {
        ObjectReader r = ObjectReader.open(new java.io.ByteArrayInputStream(body), format, 1 << 20);
        List<LogEvent> out = new ArrayList<>();
        for (List<LogEvent> chunk; (chunk = r.next(2, 1 << 20)) != null; ) {
            out.addAll(chunk);
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
