package io.s3logroutes.syslog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;

import io.s3logroutes.event.EventCodec;
import io.s3logroutes.event.LogEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SyslogEventsTest {

    final SyslogStats stats = new SyslogStats();
    final SyslogEvents events = new SyslogEvents(new SyslogParser(ZoneId.of("UTC")), stats);
    final Instant received = Instant.parse("2026-11-22T02:43:41.5Z");

    @Test
    void rfc5424EventHasEveryFieldInOrder() throws Exception {
        String frame = "<28>1 2026-11-22T02:43:40.307183+00:00 vm app 99 M1 [x@1 a=\"b\\]c\"] héllo";
        LogEvent e = events.event(SyslogFrame.of(frame.getBytes(StandardCharsets.UTF_8)), "10.0.0.7",
                "ship-syslog-tcp", received);
        assertThat(e.rawText()).isEqualTo(frame);
        assertThat(e.fields()).containsExactly(
                java.util.Map.entry("EventReceivedTime", "2026-11-22T02:43:41.500Z"),
                java.util.Map.entry("SourceModuleName", "ship-syslog-tcp"),
                java.util.Map.entry("SourceModuleType", "syslog"),
                java.util.Map.entry("MessageSourceAddress", "10.0.0.7"),
                java.util.Map.entry("SyslogFacility", "daemon"),
                java.util.Map.entry("SyslogFacilityValue", 3),
                java.util.Map.entry("SyslogSeverity", "warning"),
                java.util.Map.entry("SyslogSeverityValue", 4),
                java.util.Map.entry("EventTime", "2026-11-22T02:43:40.307183Z"),
                java.util.Map.entry("Hostname", "vm"),
                java.util.Map.entry("SourceName", "app"),
                java.util.Map.entry("ProcessID", "99"),
                java.util.Map.entry("MessageID", "M1"),
                java.util.Map.entry("StructuredData", "[x@1 a=\"b\\]c\"]"),
                java.util.Map.entry("Message", "héllo"));
        assertThat(EventCodec.fromJson(new String(EventCodec.toJson(e), StandardCharsets.UTF_8))).isEqualTo(e);
    }

    @Test
    void invalidFrameShipsWithTheReason() {
        byte[] garbage = {'G', 'E', 'T', ' ', (byte) 0xff, '/'};
        LogEvent e = events.event(SyslogFrame.of(garbage), "127.0.0.1", "ship-syslog-udp", received);
        assertThat(e.raw()).containsExactly(garbage);
        assertThat(e.fields()).containsOnlyKeys("EventReceivedTime", "SourceModuleName", "SourceModuleType",
                "MessageSourceAddress", "SyslogParseError");
        assertThat(e.fields().get("SyslogParseError")).isEqualTo("no <PRI> at the start of the frame");
        assertThat(stats.parseErrors()).isEqualTo(1);
        assertThat(stats.received()).isEqualTo(1);
    }

    @Test
    void frameWithAnErrorFromTheDecoderIsNotParsed() {
        LogEvent e = events.event(new SyslogFrame("<13>1 - h".getBytes(StandardCharsets.UTF_8), "cut"), "::1",
                "ship-syslog-tcp", received);
        assertThat(e.fields().get("SyslogParseError")).isEqualTo("cut");
        assertThat(e.fields()).doesNotContainKey("SyslogFacility");
    }
}
