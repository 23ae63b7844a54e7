package io.s3logroutes.collapse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.s3logroutes.config.S3Settings;
import io.s3logroutes.s3.S3Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Step "delete": deletes exactly the inputs of a verified output's manifest, 1,000 per DeleteObjects call, each with
 * its listed ETag where the store supports conditional writes. Keys whose deletion fails are retried; what still
 * fails, and inputs that changed after they were read, end the step with a {@link CollapseException}.
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
        List<Manifest.Input> pending = new ArrayList<>(m.inputs());
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
        Map<String, Manifest.Input> byKey = new LinkedHashMap<>();
        batch.forEach(in -> byKey.put(in.key(), in));
        List<ObjectIdentifier> ids = batch.stream().map(this::identifier).toList();
        DeleteObjectsResponse resp;
        try {
            resp = s3.deleteObjects(d -> d.bucket(settings.bucket()).delete(x -> x.objects(ids).quiet(true)));
        } catch (S3Exception e) {
            LOG.warn("collapse {}: DeleteObjects of {} keys ({} ...) failed: {}", g.period(), batch.size(),
                    batch.get(0).key(), S3Errors.describe(e));
            batch.forEach(in -> r.lastError.put(in.key(), S3Errors.describe(e)));
            r.failed.addAll(batch);
            return;
        }
        for (S3Error err : resp.errors()) {
            Manifest.Input in = byKey.get(err.key());
            if (in == null) {
                continue;
            }
            if ("PreconditionFailed".equals(err.code())) {
                r.changed.add(err.key());
                LOG.warn("collapse {}: {} changed after it was collapsed into {}: kept", g.period(), err.key(),
                        m.outputKey());
            } else {
                r.lastError.put(err.key(), err.code() + " " + err.message());
                r.failed.add(in);
            }
        }
        hook.reached(CollapseHook.Step.DELETE_BATCH_DONE, m.outputKey());
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
