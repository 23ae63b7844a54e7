package io.s3logroutes.ship;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.s3logroutes.config.Props;
import io.s3logroutes.event.LogEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Group commit of the spool: one event per batch, real files, no S3. */
class ShipPipelineGroupTest {

    @TempDir
    Path dir;

    /** What happened, in order: "commit N" (an input's callback), "upload <content>" (handed to the uploader). */
    final List<String> log = new ArrayList<>();
    Spool spool;

    ShipPipeline pipeline(String syncInterval) throws IOException {
        Map<String, String> m = new HashMap<>(Map.of("s3logs.ship.gzip", "false", "s3logs.ship.server", "S",
                "s3logs.ship.spool-dir", dir.resolve("spool").toString(), "s3logs.ship.batch.max-events", "1",
                "s3logs.ship.sync-interval", syncInterval));
        ShipSettings s = ShipSettings.from(new Props(k -> Optional.ofNullable(m.get(k))));
        spool = new Spool(s.spoolDir(), s.spoolMaxBytes());
        return new ShipPipeline(s, spool, b -> {
            try {
                assertThat(b.path().getFileName().toString()).endsWith(Spool.SEALED);
                log.add("upload " + Files.readString(b.path(), StandardCharsets.UTF_8).trim());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, Clock.systemUTC());
    }

    void accept(ShipPipeline p, int i) throws Exception {
        p.accept(LogEvent.of(("event " + i).getBytes(StandardCharsets.UTF_8), Map.of()), "in",
                () -> log.add("commit " + i));
    }

    List<String> files(String glob) throws IOException {
        List<String> l = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve("spool"), glob)) {
            ds.forEach(f -> l.add(f.getFileName().toString()));
        }
        return l;
    }

    @Test
    void batchesFilledWithinTheIntervalAreSealedTogetherInputCommittedBeforeTheUpload() throws Exception {
        ShipPipeline p = pipeline("1h");
        accept(p, 1);
        // the first batch after a quiet time is a group of its own
        assertThat(log).containsExactly("commit 1", "upload event 1");
        accept(p, 2);
        accept(p, 3);
        accept(p, 4);
        assertThat(log).hasSize(2);
        assertThat(files("*.open")).hasSize(3);
        assertThat(files("*" + Spool.SEALED)).hasSize(1);
        p.tick();
        // the latest callback of the input commits the group; the uploads follow, in order
        assertThat(log).containsExactly("commit 1", "upload event 1", "commit 4", "upload event 2", "upload event 3",
                "upload event 4");
        assertThat(files("*.open")).isEmpty();
        assertThat(files("*" + Spool.SEALED)).hasSize(4);
        assertThat(p.batchesSealed()).isEqualTo(4);
    }

    @Test
    void eachOneEventBatchHoldsItsOwnBytesThoughBatchesShareTheirWriteBuffer() throws Exception {
        ShipPipeline p = pipeline("0ms");
        String longEvent = "x".repeat(5000);
        p.accept(LogEvent.of(longEvent.getBytes(StandardCharsets.UTF_8), Map.of()), "in", null);
        p.accept(LogEvent.of("short".getBytes(StandardCharsets.UTF_8), Map.of()), "in", null);
        p.accept(LogEvent.of("".getBytes(StandardCharsets.UTF_8), Map.of()), "in", null);
        p.commit();
        assertThat(log).containsExactly("upload " + longEvent, "upload short", "upload ");
        List<Long> sizes = new ArrayList<>();
        for (String f : files("*" + Spool.SEALED)) {
            sizes.add(Files.size(dir.resolve("spool").resolve(f)));
        }
        assertThat(sizes).containsExactlyInAnyOrder(5001L, 6L, 1L);
    }

    @Test
    void commitSealsWhatWaitsForItsGroup() throws Exception {
        ShipPipeline p = pipeline("1h");
        accept(p, 1);
        accept(p, 2);
        p.commit();
        assertThat(log).containsExactly("commit 1", "upload event 1", "commit 2", "upload event 2");
    }

    @Test
    void aZeroIntervalSealsEveryBatchOnItsOwn() throws Exception {
        ShipPipeline p = pipeline("0s");
        accept(p, 1);
        accept(p, 2);
        assertThat(log).containsExactly("commit 1", "upload event 1", "commit 2", "upload event 2");
    }

    @Test
    void batchesNotYetSealedAtACrashAreDroppedAtStartAndTheirInputWasNotCommitted() throws Exception {
        ShipPipeline p = pipeline("1h");
        accept(p, 1);
        accept(p, 2);
        accept(p, 3);
        assertThat(log).doesNotContain("commit 2", "commit 3");
        // a new process on the same spool (the old one is gone without closing)
        Spool again = new Spool(dir.resolve("spool"), 1 << 30);
        assertThat(files("*.open")).isEmpty();
        assertThat(again.pending()).hasSize(1);
    }
}
