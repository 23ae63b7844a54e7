package io.s3logroutes.fetch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import io.s3logroutes.config.Props;
import io.s3logroutes.testing.FetchProps;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The steps of the fetch route as plain calls, against a real S3 API (S3Proxy). */
class FetchServiceTest {

    @TempDir
    Path dir;

    final TestS3 s3 = TestS3.shared();

    FetchService service(String bucket, String prefix, String... kv) {
        Map<String, String> m = FetchProps.under(dir, prefix);
        m.put("s3logs.fetch.max-keys", "2");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return new FetchService(s3.client(), bucket, FetchSettings.from(new Props(k -> Optional.ofNullable(m.get(k)))),
                Clock.systemUTC());
    }

    String bucketWith(String prefix, int objects) {
        String bucket = s3.newBucket("service");
        for (int i = 0; i < objects; i++) {
            FetchObjects.put(s3.client(), bucket, prefix + "2018-05-17/13.45.0" + i + "-000001",
                    ("event " + i + "\n").getBytes(StandardCharsets.UTF_8), false);
        }
        return bucket;
    }

    /** One poll as the route runs it: list, read, write every chunk, checkpoint, while more batches are ready. */
    static void poll(FetchService f) throws Exception {
        boolean more = true;
        boolean first = true;
        while (more) {
            FetchPlan.Plan plan = f.list(first);
            first = false;
            FetchChunks chunks = f.read(plan, () -> true);
            while (chunks.hasNext()) {
                FetchChunks.Chunk c = chunks.next();
                f.write(c, c.events());
            }
            more = f.checkpoint(plan, true);
        }
    }

    @Test
    void aPollReadsEveryBatchAndEndsWithTheCheckpointAtTheLastKey() throws Exception {
        String bucket = bucketWith("P/", 5);
        FetchService f = service(bucket, "P/");
        poll(f);
        assertThat(Files.readString(dir.resolve("out.log")))
                .isEqualTo("event 0\nevent 1\nevent 2\nevent 3\nevent 4\n");
        assertThat(f.journal().checkpoint().key()).contains("P/2018-05-17/13.45.04-000001");
        assertThat(f.stats().objectsRead()).isEqualTo(5);
        assertThat(f.stats().lastSuccess()).isNotNull();
    }

    @Test
    void aChunkThatNeverReachedTheWriteStepFailsTheCheckpointStepNamingIt() throws Exception {
        String bucket = bucketWith("Q/", 2);
        FetchService f = service(bucket, "Q/");
        FetchPlan.Plan plan = f.list(true);
        FetchChunks chunks = f.read(plan, () -> true);
        FetchChunks.Chunk first = chunks.next();
        f.write(first, first.events());
        FetchChunks.Chunk skipped = chunks.next();
        assertThat(chunks.hasNext()).isFalse();
        assertThatThrownBy(() -> f.checkpoint(plan, true)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(skipped.step().object().key());
        assertThat(f.failed(new IllegalStateException("x"))).isFalse();
        assertThat(Files.readString(dir.resolve("out.log"))).as("cut back: nothing was checkpointed").isEmpty();
    }

    @Test
    void chunksOutOfOrderAreRefused() throws Exception {
        String bucket = bucketWith("R/", 2);
        FetchService f = service(bucket, "R/");
        FetchPlan.Plan plan = f.list(true);
        FetchChunks chunks = f.read(plan, () -> true);
        chunks.next();
        FetchChunks.Chunk second = chunks.next();
        assertThatThrownBy(() -> f.write(second, second.events())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("chunk 0 of R/2018-05-17/13.45.00-000001 was due");
    }

    @Test
    void aPollThatEndedWithoutItsCheckpointStepIsCutBackByTheNext() throws Exception {
        String bucket = bucketWith("S/", 3);
        FetchService f = service(bucket, "S/", "s3logs.fetch.checkpoint-interval", "1h");
        FetchPlan.Plan plan = f.list(true);
        FetchChunks chunks = f.read(plan, () -> true);
        FetchChunks.Chunk c = chunks.next();
        f.write(c, c.events());
        // the poll ends here, as when a stop at the event stage ended the exchange
        poll(f);
        assertThat(f.journal().checkpoint().key()).contains("S/2018-05-17/13.45.02-000001");
        assertThat(Files.readString(dir.resolve("out.log"))).as("event 0 once")
                .isEqualTo("event 0\nevent 1\nevent 2\n");
    }
}
