package io.s3logroutes.collapse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.s3logroutes.config.S3Settings;
import io.s3logroutes.s3.S3Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Step "delete": deletes exactly the inputs of a verified output's manifest, 1,000 per DeleteObjects call, each with
 * its listed ETag where the store supports conditional writes. Keys whose deletion fails are retried; what still
 * fails, and inputs that changed after they were read, end the step with a {@link CollapseException}.
 *
 * <p>Just before each call the batch's keys are listed again, and an input listed with another ETag than the
 * manifest's is kept: some stores ignore the ETags of DeleteObjects (Ceph RGW 16 deletes regardless), and would
 * otherwise delete an input rewritten after it was read. That leaves them only the time between the two calls.
 */
final class InputDeleter {

    private static final Logger LOG = LoggerFactory.getLogger("io.s3logroutes.collapse");
    static final int DELETE_BATCH = 1000;
    static final int DELETE_ROUNDS = 3;

    private final S3Client s3;
    private final S3Settings settings;
    private final CollapseHook hook;

    InputDeleter(S3Client s3, S3Settings settings, CollapseHook hook) {
        this.s3 = s3;
        this.settings = settings;
        this.hook = hook;
    }

    /** What one round left: keys to retry, keys that changed, and the last error of each failed key. */
    private static final class Round {
        final List<Manifest.Input> failed = new ArrayList<>();
        final List<String> changed = new ArrayList<>();
        final Map<String, String> lastError = new LinkedHashMap<>();
    }

    void delete(Group g, Manifest m) {
        // the first round reads the manifest's (possibly spilled) list in batches; later rounds hold only the failures
        List<Manifest.Input> pending = m.inputs();
        List<String> changed = new ArrayList<>();
        Map<String, String> lastError = new LinkedHashMap<>();
        for (int round = 1; round <= DELETE_ROUNDS && !pending.isEmpty(); round++) {
            Round r = new Round();
            for (int i = 0; i < pending.size(); i += DELETE_BATCH) {
                deleteBatch(g, m, pending.subList(i, Math.min(pending.size(), i + DELETE_BATCH)), r);
            }
            changed.addAll(r.changed);
            lastError.putAll(r.lastError);
            pending = r.failed;
        }
        raise(g, m, pending, changed, lastError);
    }

    private void deleteBatch(Group g, Manifest m, List<Manifest.Input> batch, Round r) {
        Map<String, String> now;
        try {
            now = listed(batch);
        } catch (S3Exception e) {
            LOG.warn("collapse {}: listing {} keys ({} ...) before deleting them failed: {}", g.period(), batch.size(),
                    batch.get(0).key(), e.getMessage());
            batch.forEach(in -> r.lastError.put(in.key(), e.getMessage()));
            r.failed.addAll(batch);
            return;
        }
        Map<String, Manifest.Input> byKey = new LinkedHashMap<>();
        for (Manifest.Input in : batch) {
            String etag = now.get(in.key());
            if (etag != null && !Concatenator.sameEtag(etag, in.etag())) {
                changed(g, m, in.key(), r);
            } else {
                byKey.put(in.key(), in);
            }
        }
        if (byKey.isEmpty() || delete(g, List.copyOf(byKey.values()), m, byKey, r)) {
            hook.reached(CollapseHook.Step.DELETE_BATCH_DONE, m.outputKey());
        }
    }

    /** One DeleteObjects call; false when the call itself failed (its keys are retried). */
    private boolean delete(Group g, List<Manifest.Input> batch, Manifest m, Map<String, Manifest.Input> byKey,
                           Round r) {
        List<ObjectIdentifier> ids = batch.stream().map(this::identifier).toList();
        DeleteObjectsResponse resp;
        try {
            resp = s3.deleteObjects(d -> d.bucket(settings.bucket()).delete(x -> x.objects(ids).quiet(true)));
        } catch (S3Exception e) {
            LOG.warn("collapse {}: DeleteObjects of {} keys ({} ...) failed: {}", g.period(), batch.size(),
                    batch.get(0).key(), S3Errors.describe(e));
            batch.forEach(in -> r.lastError.put(in.key(), S3Errors.describe(e)));
            r.failed.addAll(batch);
            return false;
        }
        for (S3Error err : resp.errors()) {
            Manifest.Input in = byKey.get(err.key());
            if (in == null) {
                continue;
            }
            if ("PreconditionFailed".equals(err.code())) {
                changed(g, m, err.key(), r);
            } else {
                r.lastError.put(err.key(), err.code() + " " + err.message());
                r.failed.add(in);
            }
        }
        return true;
    }

    private static void changed(Group g, Manifest m, String key, Round r) {
        r.changed.add(key);
        LOG.warn("collapse {}: {} changed after it was collapsed into {}: kept", g.period(), key, m.outputKey());
    }

    /**
     * The ETags of the batch's keys as S3 lists them now: one listing from just before the smallest key, under their
     * common prefix, until every key was seen or the listing passed the largest (usually one page).
     */
    private Map<String, String> listed(List<Manifest.Input> batch) {
        ListRange range = ListRange.of(batch.stream().map(Manifest.Input::key).toList());
        Map<String, String> now = new HashMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(range.prefix())
                .startAfter(range.startAfter().isEmpty() ? null : range.startAfter())).contents()) {
            if (range.keys().contains(o.key())) {
                now.put(o.key(), o.eTag());
            }
            if (now.size() == range.keys().size() || range.isPast(o.key())) {
                break;
            }
        }
        return now;
    }

    /** Where a listing of {@code keys} starts and ends, in S3's order (UTF-8 bytes). */
    record ListRange(Set<String> keys, String prefix, String startAfter, byte[] last) {

        static ListRange of(List<String> keys) {
            List<String> sorted = keys.stream().sorted(ListRange::compare).toList();
            String first = sorted.get(0);
            String last = sorted.get(sorted.size() - 1);
            int n = 0;
            while (n < first.length() && n < last.length() && first.charAt(n) == last.charAt(n)) {
                n++;
            }
            if (n > 0 && Character.isHighSurrogate(first.charAt(n - 1))) {
                n--;
            }
            // the first key minus its last character sorts just before it
            String startAfter = first.substring(0, first.offsetByCodePoints(first.length(), -1));
            return new ListRange(Set.copyOf(keys), first.substring(0, n), startAfter,
                    last.getBytes(StandardCharsets.UTF_8));
        }

        boolean isPast(String key) {
            return Arrays.compareUnsigned(key.getBytes(StandardCharsets.UTF_8), last) > 0;
        }

        static int compare(String a, String b) {
            return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
        }
    }

    private ObjectIdentifier identifier(Manifest.Input in) {
        ObjectIdentifier.Builder b = ObjectIdentifier.builder().key(in.key());
        if (settings.conditionalWrites()) {
            b.eTag(in.etag());
        }
        return b.build();
    }

    private static void raise(Group g, Manifest m, List<Manifest.Input> pending, List<String> changed,
                              Map<String, String> lastError) {
        if (!pending.isEmpty()) {
            pending.forEach(in -> LOG.error("collapse {}: cannot delete {} (in {}): {}", g.period(), in.key(),
                    m.outputKey(), lastError.get(in.key())));
            throw new CollapseException(pending.size() + " inputs of " + m.outputKey() + " could not be deleted after "
                    + DELETE_ROUNDS + " attempts (first: " + pending.get(0).key() + ": "
                    + lastError.get(pending.get(0).key()) + "); the next run deletes them");
        }
        if (!changed.isEmpty()) {
            throw new CollapseException(changed.size() + " inputs of " + m.outputKey() + " changed after they were read"
                    + " (first: " + changed.get(0) + "); kept, the next run collapses them");
        }
    }
}
