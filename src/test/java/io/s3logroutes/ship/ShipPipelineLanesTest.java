package io.s3logroutes.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.s3logroutes.config.Props;
import io.s3logroutes.event.Durable;
import io.s3logroutes.event.EventCodec;
import io.s3logroutes.event.LogEvent;
import io.s3logroutes.keys.KeyPattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One open batch per key pattern, sealed together, so that an input's callback waits for every lane. */
class ShipPipelineLanesTest {

    static final String URGENT = "urgent/{server}/{yyyy-MM-dd}/{HH.mm.ss}-{seq}";

    @TempDir
    Path dir;

    /** What happened, in order: "commit N" (an input's callback), "upload <pattern> <content>". */
    final List<String> log = new ArrayList<>();
    final List<Spool.Batch> uploaded = new ArrayList<>();
    /** The spool's sealed and open files when each callback ran. */
    final List<String> seenAtCommit = new ArrayList<>();
    Instant now = Instant.parse("2026-11-24T10:00:00Z");
    final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    ShipPipeline pipeline(String maxEvents, String syncInterval) throws IOException {
        Map<String, String> m = new HashMap<>(Map.of("s3logs.ship.gzip", "false", "s3logs.ship.server", "S",
                "s3logs.ship.spool-dir", dir.resolve("spool").toString(), "s3logs.ship.batch.max-events", maxEvents,
                "s3logs.ship.sync-interval", syncInterval, "s3logs.ship.batch.max-age", "10s"));
        ShipSettings s = ShipSettings.from(new Props(k -> Optional.ofNullable(m.get(k))));
        Spool spool = new Spool(s.spoolDir(), s.spoolMaxBytes());
        return new ShipPipeline(s, spool, b -> {
            try {
                uploaded.add(b);
                log.add("upload " + b.keyPattern() + " " + Files.readString(b.path(), StandardCharsets.UTF_8)
                        .trim().replace('\n', ','));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, clock);
    }

    LogEvent event(String raw, String pattern, int commit) {
        return LogEvent.ofText(raw, Map.of()).withKeyPattern(pattern).withDurable(new Durable("in", () -> {
            log.add("commit " + commit);
            seenAtCommit.add(files("*" + Spool.SEALED).size() + " sealed, " + files("*.open").size() + " open");
        }));
    }

    void accept(ShipPipeline p, LogEvent... events) throws Exception {
        p.accept(Records.of(List.of(events), EventCodec.Format.RAW, null));
    }

    List<String> files(String glob) {
        List<String> l = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve("spool"), glob)) {
            ds.forEach(f -> l.add(f.getFileName().toString()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return l;
    }

    @Test
    void aFullLaneSealsTheOtherLaneInTheSameGroupBeforeTheCallbackRuns() throws Exception {
        ShipPipeline p = pipeline("3", "0s");
        accept(p, event("d1", null, 1), event("u1", URGENT, 2), event("d2", null, 3));
        assertThat(log).isEmpty();
        assertThat(files("*.open")).hasSize(2);
        accept(p, event("d3", null, 4), event("d4", null, 5));
        // d3 filled the default lane: both lanes were sealed, then the input committed (at d3), then the uploads
        assertThat(log).containsExactly("commit 4", "upload null d1,d2,d3", "upload " + URGENT + " u1");
        assertThat(seenAtCommit).containsExactly("2 sealed, 0 open");
        assertThat(files("*.open")).hasSize(1);
        p.commit();
        assertThat(log).endsWith("commit 5", "upload null d4");
        assertThat(p.batchesSealed()).isEqualTo(3);
    }

    @Test
    void theCallbackOfAnEventInOneLaneWaitsUntilEveryLaneIsDurable() throws Exception {
        ShipPipeline p = pipeline("100", "0s");
        accept(p, event("u1", URGENT, 1), event("d1", null, 2));
        p.tick();
        assertThat(log).isEmpty();
        p.commit();
        assertThat(log).containsExactly("commit 2", "upload " + URGENT + " u1", "upload null d1");
        assertThat(seenAtCommit).containsExactly("2 sealed, 0 open");
    }

    @Test
    void anOldLaneSealsTheYoungOneWithItAtTheTick() throws Exception {
        ShipPipeline p = pipeline("100", "0s");
        accept(p, event("d1", null, 1));
        now = now.plusSeconds(8);
        accept(p, event("u1", URGENT, 2));
        p.tick();
        assertThat(log).isEmpty();
        now = now.plusSeconds(2);
        p.tick();
        assertThat(log).containsExactly("commit 2", "upload null d1", "upload " + URGENT + " u1");
        assertThat(seenAtCommit).containsExactly("2 sealed, 0 open");
    }

    @Test
    void theConfiguredPatternGivenExplicitlyIsTheDefaultLane() throws Exception {
        ShipPipeline p = pipeline("100", "0s");
        accept(p, event("d1", null, 1), event("d2", KeyPattern.DEFAULT, 2));
        p.commit();
        assertThat(uploaded).hasSize(1);
        assertThat(uploaded.get(0).keyPattern()).isNull();
        assertThat(uploaded.get(0).path().getFileName().toString()).matches("\\d{13}-\\d+\\.raw\\.batch");
        assertThat(log).containsExactly("commit 2", "upload null d1,d2");
    }

    @Test
    void sealedLanesAreTakenUpWithTheirPatternsAfterACrash() throws Exception {
        ShipPipeline p = pipeline("100", "0s");
        accept(p, event("u1", URGENT, 1), event("d1", null, 2));
        p.commit();
        // uploads never happened; a new process on the same spool
        List<Spool.Batch> pending = new Spool(dir.resolve("spool"), 1 << 30).pending();
        assertThat(pending).extracting(Spool.Batch::keyPattern).containsExactlyInAnyOrder(URGENT, null);
        for (Spool.Batch b : pending) {
            assertThat(Files.readString(b.path()).trim()).isEqualTo(b.keyPattern() == null ? "d1" : "u1");
        }
    }

    @Test
    void eachLaneCountsItsOwnEvents() throws Exception {
        InputCounts counts = new InputCounts();
        Map<String, String> m = new HashMap<>(Map.of("s3logs.ship.gzip", "false", "s3logs.ship.server", "S",
                "s3logs.ship.spool-dir", dir.resolve("spool").toString()));
        ShipSettings s = ShipSettings.from(new Props(k -> Optional.ofNullable(m.get(k))));
        ShipPipeline p = new ShipPipeline(s, new Spool(s.spoolDir(), s.spoolMaxBytes()), uploaded::add, clock, counts);
        EventFactory events = new EventFactory("h");
        p.accept(events.lineEvent("a".getBytes(), 1, false, "ship-file", "file", "f", now).withKeyPattern(URGENT),
                "f", null);
        p.accept(events.lineEvent("b".getBytes(), 1, false, "ship-file", "file", "f", now), "f", null);
        p.accept(events.lineEvent("c".getBytes(), 1, false, "ship-tail", "file", "f", now), "f", null);
        p.commit();
        assertThat(uploaded).hasSize(2);
        Spool.Batch urgent = uploaded.stream().filter(b -> b.keyPattern() != null).findFirst().orElseThrow();
        counts.stored(urgent.path());
        assertThat(counts.out("ship-file")).isEqualTo(1);
        assertThat(counts.out("ship-tail")).isZero();
        counts.stored(uploaded.stream().filter(b -> b.keyPattern() == null).findFirst().orElseThrow().path());
        assertThat(counts.out("ship-file")).isEqualTo(2);
        assertThat(counts.out("ship-tail")).isEqualTo(1);
    }
}
