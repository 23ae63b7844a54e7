package io.s3logroutes.fetch;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.s3logroutes.config.Props;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Listing after the checkpoint against a real S3 API (S3Proxy). */
class FetchListerTest {

    final TestS3 s3 = TestS3.shared();
    final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    FetchLister lister(String bucket, String prefix, int maxKeys) {
        Map<String, String> m = Map.of("s3logs.fetch.prefix", prefix, "s3logs.fetch.max-keys", String.valueOf(maxKeys));
        return new FetchLister(s3.client(), bucket, FetchSettings.from(new Props(k -> Optional.ofNullable(m.get(k)))),
                Clock.systemUTC(), pool);
    }

    static String key(int second) {
        return "L/2018-05-17/13.45.0" + second + "-000001";
    }

    @Test
    void batchesFollowTheKeyTheyStartAfterUnderThePrefixOnly() throws Exception {
        String bucket = s3.newBucket("lister");
        for (int i = 0; i < 5; i++) {
            FetchObjects.put(s3.client(), bucket, key(i), "x\n".getBytes(StandardCharsets.UTF_8), false);
        }
        FetchObjects.put(s3.client(), bucket, "M/2018-05-17/13.45.00-000001", "y\n".getBytes(StandardCharsets.UTF_8),
                false);
        FetchLister l = lister(bucket, "L/", 2);
        // two keys a call: the last group of a truncated page waits for the next batch
        FetchPlan.Plan first = l.next(Optional.empty());
        assertThat(first.steps()).extracting(s -> s.object().key()).containsExactly(key(0));
        assertThat(first.complete()).isFalse();
        FetchPlan.Plan after = l.next(Optional.of(key(2)));
        assertThat(after.steps()).extracting(s -> s.object().key()).containsExactly(key(3), key(4));
        assertThat(after.complete()).isTrue();
        assertThat(lister(bucket, "L/", 1000).next(Optional.of(key(4))).steps()).isEmpty();
    }

    @Test
    void theListingStartedAheadIsUsedForTheKeyItStartedAfterOnly() throws Exception {
        String bucket = s3.newBucket("lister-ahead");
        for (int i = 0; i < 4; i++) {
            FetchObjects.put(s3.client(), bucket, key(i), "x\n".getBytes(StandardCharsets.UTF_8), false);
        }
        FetchLister l = lister(bucket, "L/", 2);
        FetchPlan.Plan first = l.next(Optional.empty());
        l.listAhead(first);
        pool.submit(() -> { }).get(); // the listing ahead has run
        // deleted after the listing ahead ran: only that listing still has it
        s3.client().deleteObject(b -> b.bucket(bucket).key(key(1)));
        FetchObjects.put(s3.client(), bucket, key(9), "late\n".getBytes(StandardCharsets.UTF_8), false);
        FetchPlan.Plan ahead = l.next(Optional.of(key(0)));
        assertThat(ahead.steps()).extracting(s -> s.object().key()).containsExactly(key(1));
        l.listAhead(ahead);
        // asked for another key: a new listing
        FetchPlan.Plan fresh = l.next(Optional.of(key(2)));
        assertThat(fresh.steps()).extracting(s -> s.object().key()).containsExactly(key(3), key(9));
    }
}
