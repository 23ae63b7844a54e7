package io.s3logroutes.ship;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import io.s3logroutes.event.LogEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventFactoryTest {

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theLinesOfOneReadShareTheirReadOnlyFields() {
        EventFactory f = new EventFactory("host1");
        Instant t = Instant.parse("2026-11-25T07:00:00Z");
        LogEvent a = f.lineEvent(b("a"), 1, false, "ship-file", "im_file", "/x.log", t);
        LogEvent c = f.lineEvent(b("c"), 1, false, "ship-file", "im_file", "/x.log", t);
        assertThat(a.fields()).isSameAs(c.fields()).containsExactly(
                Map.entry(LogEvent.EVENT_RECEIVED_TIME, "2026-11-25T07:00:00Z"),
                Map.entry(LogEvent.SOURCE_MODULE_NAME, "ship-file"),
                Map.entry(LogEvent.SOURCE_MODULE_TYPE, "im_file"),
                Map.entry(LogEvent.HOSTNAME, "host1"),
                Map.entry(LogEvent.FILE_NAME, "/x.log"));
        assertThat(a.raw()).isEqualTo(b("a"));
        assertThat(c.raw()).isEqualTo(b("c"));
        assertThatThrownBy(() -> a.fields().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);

        // another file, input or time: other fields
        assertThat(f.lineEvent(b("d"), 1, false, "ship-file", "im_file", "/y.log", t).fields())
                .containsEntry(LogEvent.FILE_NAME, "/y.log");
        assertThat(f.lineEvent(b("e"), 1, false, "ship-tail", "im_file", "/y.log", t).fields())
                .containsEntry(LogEvent.SOURCE_MODULE_NAME, "ship-tail");
        assertThat(f.lineEvent(b("g"), 1, false, "ship-tail", "im_file", "/y.log", t.plusSeconds(1)).fields())
                .containsEntry(LogEvent.EVENT_RECEIVED_TIME, "2026-11-25T07:00:01Z");
    }

    @Test
    void thePartsOfASplitLineHaveTheirOwnFields() {
        EventFactory f = new EventFactory("host1");
        Instant t = Instant.parse("2026-11-25T07:00:00Z");
        LogEvent whole = f.lineEvent(b("w"), 1, false, "ship-file", "im_file", "/x.log", t);
        LogEvent first = f.lineEvent(b("p1"), 1, true, "ship-file", "im_file", "/x.log", t);
        LogEvent last = f.lineEvent(b("p2"), 2, false, "ship-file", "im_file", "/x.log", t);
        assertThat(first.fields()).containsEntry(LogEvent.LINE_PART, 1).containsEntry(LogEvent.LINE_CONTINUED, true)
                .containsEntry(LogEvent.FILE_NAME, "/x.log").hasSize(7);
        assertThat(last.fields()).containsEntry(LogEvent.LINE_PART, 2).containsEntry(LogEvent.LINE_CONTINUED, false);
        assertThat(whole.fields()).doesNotContainKey(LogEvent.LINE_PART).hasSize(5);
        assertThat(f.lineEvent(b("x"), 1, false, "ship-file", "im_file", "/x.log", t).fields())
                .isSameAs(whole.fields());
    }
}
