package io.s3logroutes.ship;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.s3logroutes.config.Props;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Tail rotation, truncation and restart, with a real spool and real files (no S3 needed). */
class TailerTest {

    @TempDir
    Path dir;

    final List<String> shipped = new ArrayList<>();
    ShipPipeline pipeline;
    Path log;
    Path state;

    @BeforeEach
    void setUp() throws IOException {
        log = dir.resolve("app.log");
        state = dir.resolve("state/tail.json");
        pipeline = newPipeline();
    }

    ShipPipeline newPipeline() throws IOException {
        Map<String, String> m = new HashMap<>(Map.of("s3logs.ship.gzip", "false", "s3logs.ship.server", "S",
                "s3logs.ship.spool-dir", dir.resolve("spool").toString()));
        ShipSettings s = ShipSettings.from(new Props(k -> Optional.ofNullable(m.get(k))));
        Spool spool = new Spool(s.spoolDir(), s.spoolMaxBytes());
        return new ShipPipeline(s, spool, b -> {
            try {
                String t = Files.readString(b.path(), StandardCharsets.UTF_8);
                shipped.addAll(List.of(t.substring(0, t.length() - 1).split("\n", -1)));
                spool.remove(b);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, Clock.systemUTC());
    }

    Tailer tailer(boolean readFromLast) {
        return new Tailer(List.of(dir.resolve("*.log").toString()), new EventFactory("h"), "ship-tail",
                1024, readFromLast, state, Clock.systemUTC());
    }

    void append(Path f, String... lines) throws IOException {
        Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** One poll whose chunks all go into the pipeline, as the ship-tail route's split sends them. */
    void poll(Tailer t) throws Exception {
        Tailer.Poll p = t.poll();
        while (p.hasNext()) {
            pipeline.accept(Records.of(p.next().events(), io.s3logroutes.event.EventCodec.Format.RAW, null));
        }
    }

    void pollAndCommit(Tailer t) throws Exception {
        poll(t);
        pipeline.commit();
        t.save();
    }

    @Test
    void readsAppendedLinesAndWaitsForAPartialLine() throws Exception {
        append(log, "a", "b");
        Tailer t = tailer(false);
        pollAndCommit(t);
        Files.writeString(log, "c\npart", StandardOpenOption.APPEND);
        pollAndCommit(t);
        assertThat(shipped).containsExactly("a", "b", "c");
        Files.writeString(log, "ial\n", StandardOpenOption.APPEND);
        pollAndCommit(t);
        assertThat(shipped).containsExactly("a", "b", "c", "partial");
    }

    @Test
    void readFromLastSkipsWhatWasThereAtTheFirstStart() throws Exception {
        append(log, "old1", "old2");
        Tailer t = tailer(true);
        pollAndCommit(t);
        append(log, "new");
        pollAndCommit(t);
        assertThat(shipped).containsExactly("new");
    }

    @Test
    void renameAndCreateRotationLosesNothingAndDuplicatesNothing() throws Exception {
        append(log, "1", "2");
        Tailer t = tailer(false);
        pollAndCommit(t);
        append(log, "3", "4");
        Files.writeString(log, "5-no-newline", StandardOpenOption.APPEND);
        Files.move(log, dir.resolve("app.log.1"));
        append(log, "new-a");
        pollAndCommit(t);
        append(log, "new-b");
        pollAndCommit(t);
        pollAndCommit(t);
        assertThat(shipped).containsExactlyInAnyOrder("1", "2", "3", "4", "5-no-newline", "new-a", "new-b");
        assertThat(shipped.indexOf("3")).isLessThan(shipped.indexOf("4"));
    }

    @Test
    void copytruncateStartsAgainFromTheBeginning() throws Exception {
        append(log, "1", "2", "3");
        Tailer t = tailer(false);
        pollAndCommit(t);
        Files.copy(log, dir.resolve("app.log.1.bak"));
        Files.write(log, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
        append(log, "after");
        pollAndCommit(t);
        assertThat(shipped).containsExactly("1", "2", "3", "after");
    }

    @Test
    void aRestartResumesAtTheSavedOffset() throws Exception {
        append(log, "1", "2");
        Tailer t = tailer(false);
        pollAndCommit(t);
        t.close();
        assertThat(Files.readString(state)).contains("\"offset\" : 4");
        append(log, "3");
        pipeline = newPipeline();
        Tailer again = tailer(true);
        pollAndCommit(again);
        assertThat(shipped).containsExactly("1", "2", "3");
    }

    @Test
    void uncommittedLinesAreReadAgainAfterACrash() throws Exception {
        append(log, "1", "2");
        Tailer t = tailer(false);
        pollAndCommit(t);
        append(log, "3");
        poll(t);
        t.save();
        // crash: the open batch with "3" never became durable, so its offset was not saved
        shipped.clear();
        pipeline = newPipeline();
        Tailer again = tailer(false);
        pollAndCommit(again);
        assertThat(shipped).containsExactly("3");
    }

    @Test
    void aFileRotatedWhileStoppedIsReadToItsEnd() throws Exception {
        append(log, "1");
        Tailer t = tailer(false);
        pollAndCommit(t);
        t.close();
        append(log, "2");
        Files.move(log, dir.resolve("app.log.1"));
        append(log, "fresh");
        pipeline = newPipeline();
        Tailer again = tailer(true);
        pollAndCommit(again);
        pollAndCommit(again);
        pollAndCommit(again);
        assertThat(shipped).containsExactlyInAnyOrder("1", "2", "fresh");
    }
}
