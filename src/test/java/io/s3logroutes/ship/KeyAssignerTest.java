package io.s3logroutes.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;

import io.s3logroutes.config.ConfigException;
import io.s3logroutes.keys.KeyPattern;
import org.junit.jupiter.api.Test;

/** Keys of the configured pattern and of a batch's own, each with counters of its own. */
class KeyAssignerTest {

    static final String URGENT = "urgent/{server}/{yyyy-MM-dd}/{HH.mm.ss}-{seq}";
    static final Instant T = Instant.parse("2026-11-24T10:20:30.750Z");

    final KeyAssigner keys = new KeyAssigner(KeyPattern.parse(KeyPattern.DEFAULT), Map.of("server", "S"));

    @Test
    void twoPatternsInTheSameSecondCountOnTheirOwn() {
        assertThat(keys.assign(T, "").key()).isEqualTo("S/2026-11-24/10.20.30-000001");
        assertThat(keys.assign(T, "", URGENT).key()).isEqualTo("urgent/S/2026-11-24/10.20.30-000001");
        assertThat(keys.assign(T, ".gz", null).key()).isEqualTo("S/2026-11-24/10.20.30-000002.gz");
        KeyAssigner.Assigned u = keys.assign(T, "", URGENT);
        assertThat(u.key()).isEqualTo("urgent/S/2026-11-24/10.20.30-000002");
        assertThat(u.base()).isEqualTo("urgent/S/2026-11-24/10.20.30-000000");
        assertThat(u.time()).isEqualTo(Instant.parse("2026-11-24T10:20:30Z"));
    }

    @Test
    void theNextKeyAfterA412StaysInTheBatchsPattern() {
        KeyAssigner.Assigned taken = keys.assign(T, "", URGENT);
        KeyAssigner.Assigned next = keys.next(taken, URGENT);
        assertThat(next.key()).isEqualTo("urgent/S/2026-11-24/10.20.30-000002");
        assertThat(next.base()).isEqualTo(taken.base());
        // the default lane's counter was not moved by the urgent one
        assertThat(keys.assign(T, "").key()).isEqualTo("S/2026-11-24/10.20.30-000001");
        assertThat(keys.assign(T, "", URGENT).key()).isEqualTo("urgent/S/2026-11-24/10.20.30-000003");
    }

    @Test
    void aBadPatternIsNamedInTheError() {
        assertThatThrownBy(() -> keys.assign(T, "", "urgent/{server}/{HH.mm.ss}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("S3LogsKeyPattern")
                .hasMessageContaining("{seq}")
                .hasMessageContaining("urgent/{server}/{HH.mm.ss}");
        assertThatThrownBy(() -> keys.assign(T, "", "/urgent/{seq}"))
                .hasMessageContaining("S3LogsKeyPattern").hasMessageContaining("leading '/'");
        assertThatThrownBy(() -> keys.assign(T, "", "urgent/{nope}-{seq}")).hasMessageContaining("{nope}");
    }

    @Test
    void theSerializeStepRefusesABadPatternBeforeItReachesTheSpool() throws Exception {
        ShipSerializeProcessor serialize = new ShipSerializeProcessor(io.s3logroutes.event.EventCodec.Format.RAW);
        serialize.check(URGENT);
        serialize.check(null);
        assertThatThrownBy(() -> serialize.check("urgent/{HH}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("S3LogsKeyPattern").hasMessageContaining("urgent/{HH}");
        assertThatThrownBy(() -> serialize.check("u".repeat(400) + "/{seq}")).hasMessageContaining("too long");
    }

    @Test
    void nxlogCountersAreUnpaddedAndStartAtOneInEachSecond() {
        KeyAssigner nx = new KeyAssigner(KeyPattern.parse("s3logs.ship.key-pattern", KeyPattern.DEFAULT,
                java.time.ZoneOffset.UTC, 1), Map.of("server", "S"));
        java.util.List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            keys.add(nx.assign(T, "").key());
        }
        assertThat(keys).startsWith("S/2026-11-24/10.20.30-1", "S/2026-11-24/10.20.30-2")
                .endsWith("S/2026-11-24/10.20.30-10", "S/2026-11-24/10.20.30-11", "S/2026-11-24/10.20.30-12");
        assertThat(nx.assign(T.plusMillis(300), "").key()).isEqualTo("S/2026-11-24/10.20.31-1");
        KeyAssigner.Assigned taken = nx.assign(T.plusSeconds(1), "");
        assertThat(taken.key()).isEqualTo("S/2026-11-24/10.20.31-2");
        assertThat(nx.next(taken).key()).isEqualTo("S/2026-11-24/10.20.31-3");
        // a batch's own pattern is rendered with the same digits
        assertThat(nx.assign(T, "", URGENT).key()).isEqualTo("urgent/S/2026-11-24/10.20.30-1");
    }

    @Test
    void keysAreInTheKeyTimeZone() {
        KeyAssigner local = new KeyAssigner(KeyPattern.parse("s3logs.ship.key-pattern", KeyPattern.DEFAULT,
                java.time.ZoneId.of("America/New_York"), 1), Map.of("server", "S"));
        KeyAssigner.Assigned a = local.assign(T, "");
        assertThat(a.key()).isEqualTo("S/2026-11-24/05.20.30-1");
        // the time kept beside the key (for max-upload-delay) is the instant, whatever the zone
        assertThat(a.time()).isEqualTo(Instant.parse("2026-11-24T10:20:30Z"));
        assertThat(local.assign(T, "", URGENT).key()).isEqualTo("urgent/S/2026-11-24/05.20.30-1");
    }
}
