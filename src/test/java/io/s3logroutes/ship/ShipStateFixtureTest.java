package io.s3logroutes.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.s3logroutes.event.EventCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool and the position stores that the release before the routes redesign wrote are read as they were. */
class ShipStateFixtureTest {

    static final Path FIXTURE = Path.of("src/test/resources/fixtures/ship-state");

    @TempDir
    Path dir;

    @Test
    void aSpoolBatchAndItsSavedKeyAreTakenUpAgain() throws Exception {
        Path spoolDir = Files.createDirectories(dir.resolve("spool"));
        try (Stream<Path> files = Files.list(FIXTURE.resolve("spool"))) {
            for (Path f : files.toList()) {
                Files.copy(f, spoolDir.resolve(f.getFileName()));
            }
        }
        Spool spool = new Spool(spoolDir, 1 << 20);
        List<Spool.Batch> pending = spool.pending();
        assertThat(pending).hasSize(1);
        Spool.Batch b = pending.get(0);
        assertThat(b.format()).isEqualTo(EventCodec.Format.RAW);
        assertThat(b.gzip()).isFalse();
        assertThat(Files.readString(b.path(), StandardCharsets.UTF_8)).isEqualTo("first line\nsecond line\n");
        assertThat(spool.bytes()).isEqualTo(23);
        KeyAssigner.Assigned key = spool.loadKey(b);
        assertThat(key.key()).isEqualTo("SERVER01/2026-11-22/02.14.20-000001");
        assertThat(key.seq()).isEqualTo(1);
        assertThat(key.time()).isEqualTo(java.time.Instant.parse("2026-11-22T02:14:20Z"));
    }

    @Test
    void fileAndTailPositionsAreReadBack() throws Exception {
        Map<PositionStore.Identity, PositionStore.Position> files =
                new PositionStore(FIXTURE.resolve("file-positions.json"), false).load();
        assertThat(files).containsExactly(Map.entry(new PositionStore.Identity(2049, 131077),
                new PositionStore.Position("/var/log/in/app.log", 2049, 131077, 1234)));
        Map<PositionStore.Identity, PositionStore.Position> tail =
                new PositionStore(FIXTURE.resolve("tail-positions.json"), true).load();
        assertThat(tail.get(new PositionStore.Identity(2049, 131078)).offset()).isEqualTo(98765);
    }
}
