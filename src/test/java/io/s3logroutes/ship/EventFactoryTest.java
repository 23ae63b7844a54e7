package io.s3logroutes.ship;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import io.s3logroutes.event.LogEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventFactoryTest {

    private static final Instant T = Instant.parse("2026-11-25T07:00:00Z");
    private final EventFactory f = new EventFactory("host1");

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A line (or part) of /x.log read by ship-file at {@link #T}. */
    private LogEvent line(String text, int part, boolean continued) {
        return f.lineEvent(b(text), part, continued, "ship-file", "im_file", "/x.log", T);
    }

    @Test
    void theLinesOfOneReadShareTheirReadOnlyFields() {
        LogEvent a = line("a", 1, false);
        LogEvent c = line("c", 1, false);
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
        assertThat(f.lineEvent(b("d"), 1, false, "ship-file", "im_file", "/y.log", T).fields())
                .containsEntry(LogEvent.FILE_NAME, "/y.log");
        assertThat(f.lineEvent(b("e"), 1, false, "ship-tail", "im_file", "/y.log", T).fields())
                .containsEntry(LogEvent.SOURCE_MODULE_NAME, "ship-tail");
        assertThat(f.lineEvent(b("g"), 1, false, "ship-tail", "im_file", "/y.log", T.plusSeconds(1)).fields())
                .containsEntry(LogEvent.EVENT_RECEIVED_TIME, "2026-11-25T07:00:01Z");
    }

    @Test
    void thePartsOfASplitLineHaveTheirOwnFields() {
        LogEvent whole = line("w", 1, false);
        LogEvent first = line("p1", 1, true);
        LogEvent last = line("p2", 2, false);
        assertThat(first.fields()).containsEntry(LogEvent.LINE_PART, 1).containsEntry(LogEvent.LINE_CONTINUED, true)
                .containsEntry(LogEvent.FILE_NAME, "/x.log").hasSize(7);
        assertThat(last.fields()).containsEntry(LogEvent.LINE_PART, 2).containsEntry(LogEvent.LINE_CONTINUED, false);
        assertThat(whole.fields()).doesNotContainKey(LogEvent.LINE_PART).hasSize(5);
        assertThat(line("x", 1, false).fields()).isSameAs(whole.fields());
    }
}
