package io.s3logroutes.ship;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.s3logroutes.config.Props;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class InputCountsTest {

    @TempDir
    Path dir;

    @Test
    void eventsAreOutOnlyOnceTheirBatchIsStored() {
        InputCounts c = new InputCounts();
        c.accepted(Path.of("b1"), "ship-file");
        c.accepted(Path.of("b1"), "ship-file");
        c.accepted(Path.of("b1"), "ship-tail");
        c.accepted(Path.of("b2"), "ship-file");
        assertThat(c.in("ship-file")).isEqualTo(3);
        assertThat(c.in("ship-tail")).isEqualTo(1);
        assertThat(c.out("ship-file")).isZero();

        c.stored(Path.of("b1"));
        assertThat(c.out("ship-file")).isEqualTo(2);
        assertThat(c.out("ship-tail")).isEqualTo(1);
        // a batch stored twice (or one left by an earlier run) adds nothing
        c.stored(Path.of("b1"));
        c.stored(Path.of("other"));
        assertThat(c.out("ship-file")).isEqualTo(2);

        c.stored(Path.of("b2"));
        assertThat(c.out("ship-file")).isEqualTo(3);
        assertThat(c.in("ship-syslog-udp")).isZero();
    }

    @Test
    void thePipelineCountsEachEventUnderItsSourceModuleName() throws Exception {
        Map<String, String> m = new HashMap<>(Map.of("s3logs.ship.gzip", "false", "s3logs.ship.server", "S",
                "s3logs.ship.batch.max-events", "2", "s3logs.ship.spool-dir", dir.resolve("spool").toString()));
        ShipSettings s = ShipSettings.from(new Props(k -> Optional.ofNullable(m.get(k))));
        Spool spool = new Spool(s.spoolDir(), s.spoolMaxBytes());
        List<Spool.Batch> batches = new ArrayList<>();
        InputCounts counts = new InputCounts();
        ShipPipeline p = new ShipPipeline(s, spool, batches::add, Clock.systemUTC(), counts);
        EventFactory events = new EventFactory("h");
        for (String input : List.of("ship-file", "ship-tail", "ship-file")) {
            p.accept(events.lineEvent("x".getBytes(), 1, false, input, "file", "f", Clock.systemUTC().instant()),
                    "src", null);
        }
        p.commit();
        assertThat(batches).hasSize(2);
        assertThat(counts.in("ship-file")).isEqualTo(2);
        assertThat(counts.in("ship-tail")).isEqualTo(1);

        counts.stored(batches.get(1).path());
        assertThat(counts.out("ship-file")).isEqualTo(1);
        assertThat(counts.out("ship-tail")).isZero();
        counts.stored(batches.get(0).path());
        assertThat(counts.out("ship-file")).isEqualTo(2);
        assertThat(counts.out("ship-tail")).isEqualTo(1);
    }
}
