package io.s3logroutes.ship;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import io.s3logroutes.config.ConfigException;
import io.s3logroutes.config.Props;
import io.s3logroutes.event.EventCodec;
import io.s3logroutes.event.EventPickle;
import io.s3logroutes.event.LogEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code s3logs.ship.format=pickle}: one event per object or a startup error; each batch is one pickle, gzip'd or
 * not, and a batch left in the spool is still known as a pickle after a restart (its content type).
 */
class ShipPickleFormatTest {

    @TempDir
    Path dir;

    ShipSettings settings(Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(Map.of("s3logs.ship.format", "pickle", "s3logs.ship.server", "S",
                "s3logs.ship.spool-dir", dir.resolve("spool").toString()));
        m.putAll(extra);
        return ShipSettings.from(new Props(k -> Optional.ofNullable(m.get(k))));
    }

    @Test
    void anyBatchSizeButOneIsAStartupError() {
        assertThatThrownBy(() -> settings(Map.of())).isInstanceOf(ConfigException.class)
                .hasMessage("s3logs.ship.format=pickle writes one event per object: set s3logs.ship.batch.max-events=1"
                        + " (it is 100000)");
        assertThatThrownBy(() -> settings(Map.of("s3logs.ship.batch.max-events", "2")))
                .hasMessageContaining("(it is 2)");
        ShipSettings s = settings(Map.of("s3logs.ship.batch.max-events", "1"));
        assertThat(s.format()).isEqualTo(EventCodec.Format.PICKLE);
        assertThat(s.maxEvents()).isEqualTo(1);
    }

    @Test
    void eachEventIsOneObjectHoldingItsPickle() throws Exception {
        for (boolean gzip : new boolean[]{true, false}) {
            ShipSettings s = settings(Map.of("s3logs.ship.batch.max-events", "1", "s3logs.ship.gzip",
                    Boolean.toString(gzip), "s3logs.ship.spool-dir", dir.resolve("spool-" + gzip).toString()));
            Spool spool = new Spool(s.spoolDir(), s.spoolMaxBytes());
            List<Spool.Batch> sealed = new ArrayList<>();
            ShipPipeline p = new ShipPipeline(s, spool, sealed::add, Clock.systemUTC());
            List<LogEvent> events = List.of(LogEvent.ofText("one", Map.of("n", 1)),
                    LogEvent.of(new byte[]{(byte) 0xff}, Map.of()), LogEvent.ofText("three", Map.of("f", "v")));
            p.accept(Records.of(events, s.format(), null));
            p.commit();
            assertThat(sealed).hasSize(3);
            for (int i = 0; i < 3; i++) {
                Spool.Batch b = sealed.get(i);
                byte[] body = Files.readAllBytes(b.path());
                assertThat(gzip ? new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes() : body)
                        .isEqualTo(EventPickle.encode(events.get(i)));
                assertThat(b.path().getFileName().toString()).endsWith(gzip ? ".pickle.gz.batch" : ".pickle.batch");
                assertThat(Uploader.contentType(b)).isEqualTo("application/x-python-pickle");
                assertThat(Uploader.contentEncoding(b)).isEqualTo(gzip ? "gzip" : null);
            }
            // after a restart the batches are still pickles
            assertThat(new Spool(s.spoolDir(), s.spoolMaxBytes()).pending())
                    .extracting(Spool.Batch::format).containsOnly(EventCodec.Format.PICKLE).hasSize(3);
            assertThat(new String(EventPickle.encode(events.get(0)), StandardCharsets.ISO_8859_1)).startsWith("\u0080\u0002}");
        }
    }
}
