package io.s3logroutes.ship;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.s3logroutes.config.ConfigException;
import io.s3logroutes.config.Props;
import io.s3logroutes.event.EventCodec;
import io.s3logroutes.event.LogEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ship settings behind the nxlog profile: bare events, counter digits, key time zones. */
class ShipSettingsTest {

    static ShipSettings from(Map<String, String> m) {
        Map<String, String> all = new HashMap<>(m);
        all.putIfAbsent("s3logs.ship.server", "S");
        return ShipSettings.from(new Props(k -> Optional.ofNullable(all.get(k))));
    }

    @Test
    void eventsWithoutALineEndNeedOneEventPerObject() {
        assertThat(from(Map.of("s3logs.ship.newline", "false", "s3logs.ship.batch.max-events", "1")).newline())
                .isFalse();
        assertThatThrownBy(() -> from(Map.of("s3logs.ship.newline", "false")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("s3logs.ship.newline=false")
                .hasMessageContaining("s3logs.ship.batch.max-events=1, got 100000");
    }

    @Test
    void withoutANewlineTheObjectIsExactlyTheEvent() throws Exception {
        byte[] raw = "caf\u00e9 \"x\"\tno line end".getBytes(StandardCharsets.UTF_8);
        LogEvent e = LogEvent.of(raw, Map.of("Hostname", "h"));
        assertThat(Records.of(List.of(e), EventCodec.Format.RAW, false, null).line(0)).isEqualTo(raw);
        assertThat(new String(Records.of(List.of(e), EventCodec.Format.RAW, true, null).line(0),
                StandardCharsets.UTF_8)).endsWith("no line end\n");
        byte[] json = Records.of(List.of(e), EventCodec.Format.JSON, false, null).line(0);
        assertThat(new String(json, StandardCharsets.UTF_8)).startsWith("{\"raw_event\":").endsWith("}");
        assertThat(Records.of(List.of(LogEvent.of(new byte[0], Map.of())), EventCodec.Format.RAW, false, null)
                .line(0)).isEmpty();
    }

    @Test
    void rawLinesCountTheLineEndTheWriterAdds() throws Exception {
        LogEvent a = LogEvent.ofText("first", Map.of());
        LogEvent b = LogEvent.ofText("", Map.of());
        for (boolean newline : new boolean[] {true, false}) {
            Records r = Records.of(List.of(a, b), EventCodec.Format.RAW, newline, null);
            int end = newline ? 1 : 0;
            assertThat(r.length(0)).isEqualTo(5 + end).isEqualTo(r.line(0).length);
            assertThat(r.length(1)).isEqualTo(end).isEqualTo(r.line(1).length);
            assertThat(r.bytes()).isEqualTo(5 + 2L * end);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            BatchWriter w = new BatchWriter(out, false, 1, 1 << 20);
            r.writeTo(0, w);
            r.writeTo(1, w);
            w.finish();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(newline ? "first\n\n" : "first");
        }
    }

    @Test
    void seqDigitsAndKeyTimeZoneGoIntoTheKeyPattern() {
        ShipSettings s = from(Map.of("s3logs.ship.seq-digits", "1", "s3logs.ship.key-time-zone", "Europe/Berlin"));
        assertThat(s.keyPattern().seqDigits()).isEqualTo(1);
        assertThat(s.keyPattern().zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(from(Map.of()).keyPattern().zone()).isEqualTo(ZoneId.of("UTC"));
        assertThatThrownBy(() -> from(Map.of("s3logs.ship.seq-digits", "0")))
                .hasMessageContaining("s3logs.ship.seq-digits");
        assertThatThrownBy(() -> from(Map.of("s3logs.ship.key-time-zone", "CEST+1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("s3logs.ship.key-time-zone");
    }

    @Test
    void aZoneWhoseClocksGoBackNeedsConditionalWrites() {
        assertThatThrownBy(() -> from(Map.of("s3logs.ship.key-time-zone", "Europe/Berlin",
                "s3logs.s3.conditional-writes", "false")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("s3logs.ship.key-time-zone Europe/Berlin")
                .hasMessageContaining("s3logs.s3.conditional-writes");
        // a fixed offset never repeats a time
        assertThat(from(Map.of("s3logs.ship.key-time-zone", "+01:00", "s3logs.s3.conditional-writes", "false"))
                .keyPattern().zone()).isEqualTo(ZoneId.of("+01:00"));
    }
}
