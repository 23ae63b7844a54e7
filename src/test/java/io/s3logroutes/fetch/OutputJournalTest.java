package io.s3logroutes.fetch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.s3logroutes.config.Props;
import io.s3logroutes.event.LogEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutputJournalTest {

    @TempDir
    Path dir;

    final FetchStats stats = new FetchStats();
    final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    OutputJournal journal(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("s3logs.fetch.output-file", dir.resolve("{server}.log").toString());
        m.put("s3logs.fetch.checkpoint-file", dir.resolve("lastkey.log").toString());
        m.put("s3logs.fetch.failed-file", dir.resolve("failed.log").toString());
        m.put("s3logs.fetch.checkpoint-interval", "1h");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return new OutputJournal("b", FetchSettings.from(new Props(k -> Optional.ofNullable(m.get(k)))), clock, stats);
    }

    static FetchPlan.Step step(String key) {
        return new FetchPlan.Step(new ListedObject(key, Instant.EPOCH, 10, "\"e\""), key, 0);
    }

    static List<LogEvent> lines(String... raw) {
        return java.util.Arrays.stream(raw).map(r -> LogEvent.ofText(r, Map.of())).toList();
    }

    static ObjectReader.Result ok(long events) {
        return new ObjectReader.Result(events, 0, null, 0, false, ObjectReader.InputFormat.RAW);
    }

    String read(String file) throws Exception {
        Path f = dir.resolve(file);
        return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    }

    Checkpoint checkpoint() throws Exception {
        return new CheckpointStore(dir.resolve("lastkey.log")).read();
    }

    @Test
    void theCheckpointMovesOnlyPastObjectsWrittenWholeAndOnlyOnCommit() throws Exception {
        OutputJournal j = journal();
        assertThat(j.after()).isEmpty();
        FetchPlan.Step a = step("S1/2018-05-17/13.45.07-000001");
        FetchPlan.Step b = step("S1/2018-05-17/13.45.07-000002");
        j.write(a.object(), lines("a1", "a2"));
        j.write(a.object(), lines("a3"));
        j.done(a, ok(3));
        j.write(b.object(), lines("b1"));
        assertThat(checkpoint().key()).as("the interval has not passed").isEmpty();
        j.commit();
        assertThat(checkpoint().key()).contains(a.object().key());
        assertThat(checkpoint().length()).isEqualTo("a1\na2\na3\n".length());
        assertThat(read("S1.log")).as("fsynced before the checkpoint moved").startsWith("a1\na2\na3\n");

        j.abort(new java.io.IOException("S3 went away"));
        assertThat(read("S1.log")).as("b's chunk is cut off: it was never checkpointed").isEqualTo("a1\na2\na3\n");
        assertThat(stats.objectsRead()).isEqualTo(1);
    }

    @Test
    void onStartTheOutputIsCutBackToTheLengthTheCheckpointRecords() throws Exception {
        Files.writeString(dir.resolve("S1.log"), "kept\nwritten after the checkpoint\n");
        new CheckpointStore(dir.resolve("lastkey.log")).write(Checkpoint.START.withKey("S1/k", dir.resolve("S1.log"), 5));
        OutputJournal j = journal();
        assertThat(j.after()).contains("S1/k");
        assertThat(read("S1.log")).isEqualTo("kept\n");
    }

    @Test
    void aBadObjectFoundAfterSomeOfItsChunksLeavesNothingOfItAndARow() throws Exception {
        OutputJournal j = journal("s3logs.fetch.checkpoint-interval", "0s");
        j.after();
        FetchPlan.Step a = step("S1/2018-05-17/13.45.07-000001");
        FetchPlan.Step bad = step("S1/2018-05-17/13.45.07-000002.gz");
        j.write(a.object(), lines("a1"));
        j.done(a, ok(1));
        j.write(bad.object(), lines("x".repeat(100_000), "y".repeat(100_000)));
        j.bad(bad, "corrupt gzip data after 200002 decompressed bytes (line 3)");
        j.finish();
        assertThat(read("S1.log")).isEqualTo("a1\n");
        assertThat(checkpoint().key()).contains(bad.object().key());
        assertThat(checkpoint().length()).isEqualTo(3);
        String[] row = read("failed.log").strip().split("\t");
        assertThat(row).containsExactly("2026-01-01T00:00:00Z", bad.object().key(), "10", "\"e\"",
                "corrupt gzip data after 200002 decompressed bytes (line 3)");
        assertThat(stats.failedObjects()).isEqualTo(1);
    }

    @Test
    void eachServerGetsItsOwnFileAndTheCheckpointNamesTheFileItsLengthIsOf() throws Exception {
        OutputJournal j = journal();
        j.after();
        FetchPlan.Step a = step("S1/2018-05-17/13.45.07-000001");
        FetchPlan.Step b = step("S2/2018-05-17/13.45.08-000001");
        j.write(a.object(), lines("from s1"));
        j.done(a, ok(1));
        j.write(b.object(), lines("from s2", "again"));
        j.done(b, ok(2));
        j.finish();
        assertThat(read("S1.log")).isEqualTo("from s1\n");
        assertThat(read("S2.log")).isEqualTo("from s2\nagain\n");
        assertThat(checkpoint()).isEqualTo(Checkpoint.START.withKey(b.object().key(),
                dir.resolve("S2.log"), "from s2\nagain\n".length()));
    }

    @Test
    void onErrorStopHaltsBeforeTheBadObjectAndCommitsTheOnesBefore() throws Exception {
        OutputJournal j = journal("s3logs.fetch.on-error", "stop");
        j.after();
        FetchPlan.Step a = step("S1/2018-05-17/13.45.07-000001");
        FetchPlan.Step bad = step("S1/2018-05-17/13.45.07-000002");
        j.write(a.object(), lines("a1"));
        j.done(a, ok(1));
        j.write(bad.object(), lines("{broken"));
        ObjectReader.Result flagged = new ObjectReader.Result(0, 1, "line 1 is not a JSON event: x", 7, false,
                ObjectReader.InputFormat.JSON);
        assertThatThrownBy(() -> j.done(bad, flagged)).isInstanceOf(OutputJournal.HaltedException.class)
                .hasMessageContaining(bad.object().key()).hasMessageContaining("line 1");
        j.abort(new OutputJournal.HaltedException("stop"));
        assertThat(read("S1.log")).isEqualTo("a1\n");
        assertThat(checkpoint().key()).contains(a.object().key());
        assertThat(read("failed.log")).contains(bad.object().key()).contains("line 1 is not a JSON event");
    }
}
