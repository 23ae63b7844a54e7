package io.s3logroutes.fetch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import io.s3logroutes.config.Props;
import io.s3logroutes.event.LogEvent;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chunks of a batch, read from a real S3 API (S3Proxy). */
class FetchChunksTest {

    final TestS3 s3 = TestS3.shared();
    final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    static FetchSettings settings(String... kv) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return FetchSettings.from(new Props(k -> Optional.ofNullable(m.get(k))));
    }

    FetchPlan.Plan plan(String bucket) {
        return new FetchLister(s3.client(), bucket, settings(), java.time.Clock.systemUTC(), pool)
                .list(Optional.empty());
    }

    List<FetchChunks.Chunk> all(FetchChunks chunks) {
        List<FetchChunks.Chunk> out = new ArrayList<>();
        chunks.forEachRemaining(out::add);
        return out;
    }

    @Test
    void aLargeObjectComesInBoundedChunksInOrderAndOnlyItsLastChunkSaysSo() {
        String bucket = s3.newBucket("chunks");
        StringBuilder big = new StringBuilder();
        int lines = FetchChunks.MAX_EVENTS * 2 + 10;
        for (int i = 0; i < lines; i++) {
            big.append("line ").append(i).append('\n');
        }
        String k1 = "S/2018-05-17/13.45.07-000001.gz";
        String k2 = "S/2018-05-17/13.45.07-000002";
        FetchObjects.put(s3.client(), bucket, k1, FetchObjects.gzip(big.toString().getBytes(StandardCharsets.UTF_8)),
                true);
        FetchObjects.put(s3.client(), bucket, k2, "small\n".getBytes(StandardCharsets.UTF_8), false);
        // a read-ahead budget of 1 byte: the first object is read as a stream in its turn
        FetchSettings s = settings("s3logs.fetch.read-ahead-bytes", "1");
        List<FetchChunks.Chunk> chunks = all(new FetchChunks(plan(bucket), new ObjectSource(s3.client(), bucket), s,
                () -> true, pool));
        assertThat(chunks).extracting(c -> c.step().object().key()).containsExactly(k1, k1, k1, k2);
        assertThat(chunks).extracting(FetchChunks.Chunk::index).containsExactly(0, 1, 2, 0);
        assertThat(chunks).extracting(FetchChunks.Chunk::last).containsExactly(false, false, true, true);
        assertThat(chunks).allSatisfy(c -> assertThat(c.events()).hasSizeLessThanOrEqualTo(FetchChunks.MAX_EVENTS));
        List<String> back = new ArrayList<>();
        chunks.subList(0, 3).forEach(c -> c.events().forEach(e -> back.add(e.rawText())));
        assertThat(back).hasSize(lines).startsWith("line 0").endsWith("line " + (lines - 1));
        assertThat(chunks.get(2).result().events()).isEqualTo(lines);
        assertThat(chunks.get(3).events()).extracting(LogEvent::rawText).containsExactly("small");
    }

    @Test
    void aBadObjectEndsWithAChunkNamingTheProblemAndTheNextObjectFollows() {
        String bucket = s3.newBucket("chunks-bad");
        byte[] corrupt = FetchObjects.gzip("text\n".repeat(100).getBytes(StandardCharsets.UTF_8));
        for (int i = 12; i < corrupt.length - 8; i++) {
            corrupt[i] ^= 0x5a;
        }
        String k1 = "S/2018-05-17/13.45.07-000001.gz";
        String k2 = "S/2018-05-17/13.45.08-000001";
        FetchObjects.put(s3.client(), bucket, k1, corrupt, true);
        FetchObjects.put(s3.client(), bucket, k2, "fine\n".getBytes(StandardCharsets.UTF_8), false);
        List<FetchChunks.Chunk> chunks = all(new FetchChunks(plan(bucket), new ObjectSource(s3.client(), bucket),
                settings(), () -> true, pool));
        assertThat(chunks).hasSize(2);
        assertThat(chunks.get(0).bad()).contains("gzip");
        assertThat(chunks.get(0).last()).isTrue();
        assertThat(chunks.get(0).events()).isEmpty();
        assertThat(chunks.get(1).bad()).isNull();
        assertThat(chunks.get(1).events()).extracting(LogEvent::rawText).containsExactly("fine");
    }

    @Test
    void itStopsBetweenGroupsOnceToldTo() {
        String bucket = s3.newBucket("chunks-stop");
        for (String k : new String[] {"S/2018-05-17/13.45.07-1", "S/2018-05-17/13.45.07-2",
                "S/2018-05-17/13.45.08-1"}) {
            FetchObjects.put(s3.client(), bucket, k, (k + "\n").getBytes(StandardCharsets.UTF_8), false);
        }
        AtomicBoolean going = new AtomicBoolean(true);
        FetchChunks chunks = new FetchChunks(plan(bucket), new ObjectSource(s3.client(), bucket), settings(),
                going::get, pool);
        assertThat(chunks.next().step().object().key()).endsWith("13.45.07-1");
        going.set(false);
        assertThat(chunks.next().step().object().key()).as("the group is read whole").endsWith("13.45.07-2");
        assertThat(chunks.hasNext()).isFalse();
    }

    @Test
    void aListedObjectThatCannotBeReadYetFailsThePollAndAnOldOneIsSkippedAsGone() {
        String bucket = s3.newBucket("chunks-gone");
        String k = "S/2018-05-17/13.45.07-000001";
        FetchObjects.put(s3.client(), bucket, k, "soon\n".getBytes(StandardCharsets.UTF_8), false);
        FetchPlan.Plan plan = plan(bucket);
        s3.client().deleteObject(d -> d.bucket(bucket).key(k));
        // LastModified just now: still being written (a store that lists before it can serve), so the poll fails
        // and the next one retries from the checkpoint instead of skipping the object
        FetchChunks chunks = new FetchChunks(plan, new ObjectSource(s3.client(), bucket), settings(), () -> true,
                pool);
        assertThatThrownBy(chunks::hasNext).isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining("cannot fetch s3://" + bucket + "/" + k);
        // listed long ago: deleted since (collapse, a lifecycle rule), so it is skipped as gone
        FetchPlan.Step young = plan.steps().get(0);
        ListedObject old = new ListedObject(k, java.time.Instant.now().minus(java.time.Duration.ofMinutes(2)), 5,
                young.object().eTag());
        assertThat(FetchChunks.young(young)).isTrue();
        assertThat(FetchChunks.young(new FetchPlan.Step(old, young.commitKey(), young.group()))).isFalse();
    }
}
