package io.s3logroutes.fetch;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Lists the keys after the checkpoint and plans the next batch ({@link FetchPlan}): up to {@code s3logs.fetch.max-keys}
 * keys a call, page after page until a batch has something to read or to wait for. The listing of the batch after
 * one is started ahead ({@link #listAhead}) and used when the next call asks for the key it started after.
 */
public final class FetchLister {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final int maxKeys;
    private final Duration settle;
    private final java.time.ZoneId zone;
    private final Clock clock;
    private final ExecutorService executor;
    private Optional<String> aheadAfter;
    private CompletableFuture<FetchPlan.Plan> ahead;

    public FetchLister(S3Client s3, String bucket, FetchSettings settings, Clock clock, ExecutorService executor) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = settings.prefix();
        this.maxKeys = settings.maxKeys();
        this.settle = settings.settle();
        this.zone = settings.keyTimeZone();
        this.clock = clock;
        this.executor = executor;
    }

    /** The next batch after {@code after}: the listing started ahead for that key, else a new one. */
    public FetchPlan.Plan next(Optional<String> after) throws IOException {
        if (ahead != null && aheadAfter.equals(after)) {
            CompletableFuture<FetchPlan.Plan> f = ahead;
            ahead = null;
            try {
                return f.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IOException("listing failed: " + e.getCause(), e.getCause());
            }
        }
        cancel();
        return list(after);
    }

    /** Starts listing the batch after {@code plan} while it is read, when the listing goes on past it. */
    public void listAhead(FetchPlan.Plan plan) {
        cancel();
        List<FetchPlan.Step> steps = plan.steps();
        if (plan.waiting() != null || plan.complete() || steps.isEmpty()) {
            return;
        }
        Optional<String> after = Optional.ofNullable(steps.get(steps.size() - 1).commitKey());
        if (after.isPresent()) {
            aheadAfter = after;
            ahead = CompletableFuture.supplyAsync(() -> list(after), executor);
        }
    }

    /** Drops the listing started ahead. */
    public void cancel() {
        if (ahead != null) {
            ahead.cancel(true);
            ahead = null;
        }
    }

    // SDK ListObjectsV2, not the aws2-s3 consumer: that re-reads its first page with a prefix and keeps its marker in memory.
    FetchPlan.Plan list(Optional<String> startAfter) {
        List<ListedObject> listed = new ArrayList<>();
        String token = null;
        while (true) {
            ListObjectsV2Request.Builder b = ListObjectsV2Request.builder().bucket(bucket).maxKeys(maxKeys);
            if (!prefix.isEmpty()) {
                b.prefix(prefix);
            }
            if (token != null) {
                b.continuationToken(token);
            } else {
                startAfter.ifPresent(b::startAfter);
            }
            ListObjectsV2Response page = s3.listObjectsV2(b.build());
            for (S3Object o : page.contents()) {
                listed.add(new ListedObject(o.key(), o.lastModified(), o.size() == null ? -1 : o.size(), o.eTag()));
            }
            boolean truncated = Boolean.TRUE.equals(page.isTruncated());
            FetchPlan.Plan plan = FetchPlan.plan(listed, truncated, clock.instant(), settle, zone);
            if (!plan.steps().isEmpty() || plan.waiting() != null || !truncated) {
                return plan;
            }
            token = page.nextContinuationToken();
        }
    }
}
