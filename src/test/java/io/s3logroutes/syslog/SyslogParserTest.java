package io.s3logroutes.syslog;

import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyslogParserTest {

    final Instant received = Instant.parse("2026-11-22T02:43:41Z");
    final SyslogParser parser = new SyslogParser(ZoneId.of("UTC"));

    @Test
    void rfc5424WithStructuredDataAndBom() throws Exception {
        SyslogMessage m = parser.parse("<28>1 2026-11-22T03:43:40.307183+01:00 vm app 4242 M1 "
                + "[timeQuality tzKnown=\"1\" isSynced=\"0\"][x@1 a=\"b\\]c\" q=\"\\\"\"] \uFEFFhéllo wörld", received);
        assertThat(m.protocol()).isEqualTo("rfc5424");
        assertThat(m.facility()).isEqualTo(3);
        assertThat(m.facilityName()).isEqualTo("daemon");
        assertThat(m.severity()).isEqualTo(4);
        assertThat(m.severityName()).isEqualTo("warning");
        assertThat(m.eventTime()).isEqualTo(Instant.parse("2026-11-22T02:43:40.307183Z"));
        assertThat(m.hostname()).isEqualTo("vm");
        assertThat(m.appName()).isEqualTo("app");
        assertThat(m.procId()).isEqualTo("4242");
        assertThat(m.msgId()).isEqualTo("M1");
        assertThat(m.structuredData())
                .isEqualTo("[timeQuality tzKnown=\"1\" isSynced=\"0\"][x@1 a=\"b\\]c\" q=\"\\\"\"]");
        assertThat(m.message()).isEqualTo("héllo wörld");
    }

    @Test
    void rfc5424NilValuesAndNoMessage() throws Exception {
        SyslogMessage m = parser.parse("<165>1 - - - - - -", received);
        assertThat(m.facilityName()).isEqualTo("local4");
        assertThat(m.severityName()).isEqualTo("notice");
        assertThat(m.eventTime()).isNull();
        assertThat(m.hostname()).isNull();
        assertThat(m.appName()).isNull();
        assertThat(m.procId()).isNull();
        assertThat(m.msgId()).isNull();
        assertThat(m.structuredData()).isNull();
        assertThat(m.message()).isNull();
    }

    @Test
    void rfc3164WithTagAndPid() throws Exception {
        SyslogMessage m = parser.parse("<38>Nov  2 02:43:40 web-1 sshd[1234]: Accepted publickey for root", received);
        assertThat(m.protocol()).isEqualTo("rfc3164");
        assertThat(m.facilityName()).isEqualTo("auth");
        assertThat(m.severityName()).isEqualTo("info");
        assertThat(m.eventTime()).isEqualTo(Instant.parse("2026-11-02T02:43:40Z"));
        assertThat(m.hostname()).isEqualTo("web-1");
        assertThat(m.appName()).isEqualTo("sshd");
        assertThat(m.procId()).isEqualTo("1234");
        assertThat(m.message()).isEqualTo("Accepted publickey for root");
    }

    @Test
    void rfc3164AsLoggerSendsIt() throws Exception {
        SyslogMessage m = parser.parse("<13>Nov 22 02:33:38 vm root: héllo wörld", received);
        assertThat(m.hostname()).isEqualTo("vm");
        assertThat(m.appName()).isEqualTo("root");
        assertThat(m.procId()).isNull();
        assertThat(m.message()).isEqualTo("héllo wörld");
        assertThat(m.eventTime()).isEqualTo(Instant.parse("2026-11-22T02:33:38Z"));
    }

    @Test
    void rfc3164DecemberMessageReceivedInJanuaryIsLastYear() throws Exception {
        SyslogMessage m = parser.parse("<13>Dec 31 23:59:59 h app: x", Instant.parse("2027-01-01T00:00:05Z"));
        assertThat(m.eventTime()).isEqualTo(Instant.parse("2026-12-31T23:59:59Z"));
    }

    @Test
    void rfc3164InAConfiguredZone() throws Exception {
        SyslogMessage m = new SyslogParser(ZoneId.of("Europe/Berlin"))
                .parse("<13>Nov 22 03:33:38 vm root: x", received);
        assertThat(m.eventTime()).isEqualTo(Instant.parse("2026-11-22T02:33:38Z"));
    }

    @Test
    void rfc3164WithoutTimestampOrTagKeepsTheWholeText() throws Exception {
        SyslogMessage m = parser.parse("<14>just some text here", received);
        assertThat(m.eventTime()).isNull();
        assertThat(m.hostname()).isNull();
        assertThat(m.appName()).isNull();
        assertThat(m.message()).isEqualTo("just some text here");
    }

    @Test
    void rfc3164WithoutHostname() throws Exception {
        SyslogMessage m = parser.parse("<13>Nov 22 02:33:38 cron[77]: job done", received);
        assertThat(m.hostname()).isNull();
        assertThat(m.appName()).isEqualTo("cron");
        assertThat(m.procId()).isEqualTo("77");
        assertThat(m.message()).isEqualTo("job done");
    }

    @Test
    void invalidFramesGiveTheReason() {
        assertThatThrownBy(() -> parser.parse("", received)).hasMessage("empty frame");
        assertThatThrownBy(() -> parser.parse("hello", received)).hasMessageContaining("no <PRI>");
        assertThatThrownBy(() -> parser.parse("<abc>x", received)).hasMessageContaining("invalid <PRI>");
        assertThatThrownBy(() -> parser.parse("<192>x", received)).hasMessageContaining("0 to 191");
        assertThatThrownBy(() -> parser.parse("<013>x", received)).hasMessageContaining("leading zeros");
        assertThatThrownBy(() -> parser.parse("<13", received)).hasMessageContaining("invalid <PRI>");
        assertThatThrownBy(() -> parser.parse("<13>1 yesterday h a p m - x", received))
                .hasMessageContaining("TIMESTAMP 'yesterday'");
        assertThatThrownBy(() -> parser.parse("<13>1 - h a", received)).hasMessageContaining("ends before APP-NAME");
        assertThatThrownBy(() -> parser.parse("<13>1 - h a p m [x a=\"1] y", received))
                .hasMessageContaining("unterminated PARAM-VALUE");
        assertThatThrownBy(() -> parser.parse("<13>1 - h a p m x y", received))
                .hasMessageContaining("STRUCTURED-DATA must be -");
        assertThatThrownBy(() -> parser.parse("<13>1 - h a p m [x a=\"1\"]y", received))
                .hasMessageContaining("expected a space after STRUCTURED-DATA");
    }
}
