package io.s3logroutes.collapse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import io.s3logroutes.s3.Sse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Collapses one {@link Group}: finishes what an earlier run left (manifest without output, output with inputs
 * still there, stale multipart uploads), then lists the period once (the snapshot), concatenates it into new
 * outputs, verifies them, writes their manifests and deletes exactly the snapshot's keys.
 *
 * <p>Order of the steps of one output: all parts uploaded, manifest written ({@code If-None-Match}), output
 * completed ({@code If-None-Match}), HeadObject size checked, inputs deleted. A crash before the manifest leaves
 * only an incomplete multipart upload (aborted by the next run); after it, the next run completes or verifies the
 * output from the manifest and finishes the deletes.
 */
final class GroupCollapser {

    private static final Logger LOG = LoggerFactory.getLogger("collapse");
    static final int DELETE_BATCH = 1000;
    static final int DELETE_ROUNDS = 3;

    private final S3Client s3;
    private final S3Settings settings;
    private final CollapseSettings cs;
    private final Concatenator concat;
    private final CollapseHook hook;

    GroupCollapser(S3Client s3, S3Settings settings, CollapseSettings cs, Concatenator concat, CollapseHook hook) {
        this.s3 = s3;
        this.settings = settings;
        this.cs = cs;
        this.concat = concat;
        this.hook = hook;
    }

    GroupResult collapse(Group g) {
        List<String> outputs = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int[] objects = {0};
        long[] bytes = {0};
        try {
            abortStaleUploads(g);
            Map<Integer, Long> outputsFound = new TreeMap<>();
            TreeSet<Integer> manifests = new TreeSet<>();
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(g.outputBase())).contents()) {
                String k = o.key();
                if (k.endsWith(Group.MANIFEST_SUFFIX)) {
                    int n = g.outputNumber(k.substring(0, k.length() - Group.MANIFEST_SUFFIX.length()));
                    if (n > 0) {
                        manifests.add(n);
                    }
                } else if (g.outputNumber(k) > 0) {
                    outputsFound.put(g.outputNumber(k), o.size());
                }
            }
            Map<String, S3Object> snapshot = snapshot(g);
            hook.reached(CollapseHook.Step.SNAPSHOT_TAKEN, g.outputBase());
            for (int n : manifests) {
                String out = g.outputKey(n);
                Manifest m = readManifest(Group.manifestKey(out));
                List<Manifest.Input> finished = resume(g, m, outputsFound.get(n), snapshot, notes);
                if (!finished.isEmpty()) {
                    outputs.add(out);
                    objects[0] += finished.size();
                    bytes[0] += finished.stream().mapToLong(Manifest.Input::size).sum();
                }
                for (Manifest.Input in : m.inputs()) {
                    S3Object o = snapshot.get(in.key());
                    if (o != null && Concatenator.sameEtag(o.eTag(), in.etag())) {
                        snapshot.remove(in.key());
                    }
                }
            }
            for (Map.Entry<Integer, Long> e : outputsFound.entrySet()) {
                if (!manifests.contains(e.getKey())) {
                    String msg = "output " + g.outputKey(e.getKey()) + " exists without a manifest: left alone";
                    LOG.warn("collapse {}: {}", g.period(), msg);
                    notes.add(msg);
                }
            }
            if (snapshot.isEmpty()) {
                return new GroupResult(g, outputs.isEmpty() ? GroupResult.Status.EMPTY : GroupResult.Status.COLLAPSED,
                        objects[0], bytes[0], outputs, notes);
            }
            List<Manifest.Input> inputs = snapshot.values().stream()
                    .map(o -> new Manifest.Input(o.key(), o.size(), o.eTag())).toList();
            List<List<Manifest.Input>> chunks = chunks(g, inputs);
            if (chunks.size() > 1) {
                concat.checkKinds(inputs);
            }
            int next = 1 + Math.max(outputsFound.keySet().stream().mapToInt(i -> i).max().orElse(0),
                    manifests.isEmpty() ? 0 : manifests.last());
            for (List<Manifest.Input> chunk : chunks) {
                String out = g.outputKey(next++);
                Manifest m = build(g, out, chunk);
                bytes[0] += writeOutput(g, m, true);
                objects[0] += chunk.size();
                outputs.add(out);
                deleteInputs(g, m);
            }
            return new GroupResult(g, GroupResult.Status.COLLAPSED, objects[0], bytes[0], outputs, notes);
        } catch (RuntimeException e) {
            String why = e instanceof CollapseException ? e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.error("collapse {} {} failed: {}", g.period(), g.listPrefix(), why,
                    e instanceof CollapseException ? null : e);
            notes.add(why);
            return new GroupResult(g, GroupResult.Status.FAILED, objects[0], bytes[0], outputs, notes);
        }
    }

    /** Every input key of the period, all pages, in key order: the snapshot this run works on. */
    Map<String, S3Object> snapshot(Group g) {
        Map<String, S3Object> keys = new LinkedHashMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(g.listPrefix())).contents()) {
            if (Group.isInput(o.key())) {
                keys.put(o.key(), o);
            }
        }
        return keys;
    }

    private List<List<Manifest.Input>> chunks(Group g, List<Manifest.Input> inputs) {
        long total = inputs.stream().mapToLong(Manifest.Input::size).sum();
        if (total > cs.maxSize() && cs.onMaxSize() == CollapseSettings.OnMaxSize.FAIL) {
            throw new CollapseException("period " + g.period() + " (" + g.listPrefix() + ") holds " + inputs.size()
                    + " objects of " + Props.formatSize(total) + ", more than s3logs.collapse.max-size="
                    + Props.formatSize(cs.maxSize()) + " with s3logs.collapse.on-max-size=fail; nothing uploaded");
        }
        List<List<Manifest.Input>> out = new ArrayList<>();
        List<Manifest.Input> cur = new ArrayList<>();
        long size = 0;
        for (Manifest.Input in : inputs) {
            if (!cur.isEmpty() && size + in.size() > cs.maxSize()) {
                out.add(cur);
                cur = new ArrayList<>();
                size = 0;
            }
            cur.add(in);
            size += in.size();
        }
        out.add(cur);
        return out;
    }

    private Manifest build(Group g, String out, List<Manifest.Input> inputs) {
        return new Manifest(1, g.period().label(), g.listPrefix(), out,
                inputs.stream().mapToLong(Manifest.Input::size).sum(), false,
                cs.storageClass().map(Object::toString).orElse(""), Instant.now().toString(), inputs);
    }

    /**
     * Uploads the output of {@code m}, writes the manifest (when {@code writeManifest}), completes and verifies
     * the output. Returns its size.
     */
    private long writeOutput(Group g, Manifest m, boolean writeManifest) {
        Progress progress = new Progress("collapse " + g.period() + " -> " + m.outputKey(), m.inputs().size(),
                m.outputSize(), System::nanoTime, LOG::info);
        LOG.info("collapse {}: {} objects ({}) under {} -> {}", g.period(), m.inputs().size(),
                Props.formatSize(m.outputSize()), g.listPrefix(), m.outputKey());
        Concatenator.Staged staged = concat.stage(m.outputKey(), m.inputs(), in -> progress.objectDone(in.size()));
        hook.reached(CollapseHook.Step.PARTS_UPLOADED, m.outputKey());
        Manifest full = new Manifest(m.version(), m.period(), m.listPrefix(), m.outputKey(), staged.bytes(),
                staged.gzip(), m.storageClass(), m.createdAt(), m.inputs());
        try {
            if (writeManifest) {
                putManifest(full);
                hook.reached(CollapseHook.Step.MANIFEST_WRITTEN, m.outputKey());
            }
            try {
                staged.completer().complete();
            } catch (S3Exception e) {
                if (e.statusCode() == 412) {
                    throw new CollapseException("output " + m.outputKey() + " already exists (If-None-Match failed);"
                            + " not overwritten, nothing deleted", e);
                }
                throw e;
            }
        } catch (RuntimeException e) {
            staged.completer().abort();
            throw e;
        }
        hook.reached(CollapseHook.Step.OUTPUT_COMPLETED, m.outputKey());
        verify(m.outputKey(), m.outputSize());
        hook.reached(CollapseHook.Step.OUTPUT_VERIFIED, m.outputKey());
        LOG.info("collapse {} -> {}: {} objects, {} bytes uploaded and verified", g.period(), m.outputKey(),
                m.inputs().size(), m.outputSize());
        return staged.bytes();
    }

    private void verify(String key, long expected) {
        long actual = s3.headObject(b -> b.bucket(settings.bucket()).key(key)).contentLength();
        if (actual != expected) {
            throw new CollapseException("output " + key + " is " + actual + " bytes but its inputs sum to " + expected
                    + " bytes; nothing deleted");
        }
    }

    private void putManifest(Manifest m) {
        String key = Group.manifestKey(m.outputKey());
        PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(settings.bucket()).key(key)
                .contentType("application/json");
        if (settings.conditionalWrites()) {
            b.ifNoneMatch("*");
        }
        Sse.on(settings, b);
        try {
            s3.putObject(b.build(), RequestBody.fromBytes(m.toJson()));
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new CollapseException("manifest " + key + " already exists; another run is collapsing this"
                        + " period; nothing deleted", e);
            }
            throw e;
        }
    }

    private Manifest readManifest(String key) {
        return Manifest.parse(key, s3.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(key)).asByteArray());
    }

    /**
     * Finishes an output that an earlier run left: completes it from the manifest if needed, then deletes its
     * inputs that are still there. Returns those inputs.
     */
    private List<Manifest.Input> resume(Group g, Manifest m, Long outputSize, Map<String, S3Object> snapshot, List<String> notes) {
        List<Manifest.Input> present = m.inputs().stream().filter(in -> {
            S3Object o = snapshot.get(in.key());
            return o != null && Concatenator.sameEtag(o.eTag(), in.etag());
        }).toList();
        if (outputSize == null) {
            if (present.size() != m.inputs().size()) {
                throw new CollapseException("manifest " + Group.manifestKey(m.outputKey()) + " has no output and "
                        + (m.inputs().size() - present.size()) + " of its inputs are gone or changed; left alone");
            }
            LOG.info("collapse {}: {} has a manifest but no output: uploading it again from its {} inputs",
                    g.period(), m.outputKey(), m.inputs().size());
            writeOutput(g, m, false);
        } else if (outputSize != m.outputSize()) {
            throw new CollapseException("output " + m.outputKey() + " is " + outputSize + " bytes but its manifest says "
                    + m.outputSize() + "; left alone, nothing deleted");
        }
        if (!present.isEmpty()) {
            LOG.info("collapse {}: finishing {}: deleting {} inputs that are in it", g.period(), m.outputKey(),
                    present.size());
            deleteInputs(g, new Manifest(m.version(), m.period(), m.listPrefix(), m.outputKey(), m.outputSize(),
                    m.gzip(), m.storageClass(), m.createdAt(), present));
            notes.add("resumed " + m.outputKey() + " (" + present.size() + " inputs deleted)");
        }
        return present;
    }

    /**
     * Deletes exactly the manifest's inputs, 1,000 per DeleteObjects call, each with its listed ETag where the
     * store supports conditional writes. Keys whose deletion fails are retried; what still fails is reported.
     */
    private void deleteInputs(Group g, Manifest m) {
        List<Manifest.Input> pending = new ArrayList<>(m.inputs());
        List<String> changed = new ArrayList<>();
        Map<String, String> lastError = new LinkedHashMap<>();
        for (int round = 1; round <= DELETE_ROUNDS && !pending.isEmpty(); round++) {
            List<Manifest.Input> failed = new ArrayList<>();
            for (int i = 0; i < pending.size(); i += DELETE_BATCH) {
                List<Manifest.Input> batch = pending.subList(i, Math.min(pending.size(), i + DELETE_BATCH));
                Map<String, Manifest.Input> byKey = new LinkedHashMap<>();
                batch.forEach(in -> byKey.put(in.key(), in));
                List<ObjectIdentifier> ids = batch.stream().map(in -> {
                    ObjectIdentifier.Builder b = ObjectIdentifier.builder().key(in.key());
                    if (settings.conditionalWrites()) {
                        b.eTag(in.etag());
                    }
                    return b.build();
                }).toList();
                DeleteObjectsResponse r;
                try {
                    r = s3.deleteObjects(d -> d.bucket(settings.bucket()).delete(x -> x.objects(ids).quiet(true)));
                } catch (S3Exception e) {
                    LOG.warn("collapse {}: DeleteObjects of {} keys ({} ...) failed: {}", g.period(), batch.size(),
                            batch.get(0).key(), e.getMessage());
                    batch.forEach(in -> lastError.put(in.key(), e.getMessage()));
                    failed.addAll(batch);
                    continue;
                }
                for (S3Error err : r.errors()) {
                    Manifest.Input in = byKey.get(err.key());
                    if (in == null) {
                        continue;
                    }
                    if ("PreconditionFailed".equals(err.code())) {
                        changed.add(err.key());
                        LOG.warn("collapse {}: {} changed after it was collapsed into {}: kept", g.period(), err.key(),
                                m.outputKey());
                    } else {
                        lastError.put(err.key(), err.code() + " " + err.message());
                        failed.add(in);
                    }
                }
                hook.reached(CollapseHook.Step.DELETE_BATCH_DONE, m.outputKey());
            }
            pending = failed;
        }
        if (!pending.isEmpty()) {
            pending.forEach(in -> LOG.error("collapse {}: cannot delete {} (in {}): {}", g.period(), in.key(),
                    m.outputKey(), lastError.get(in.key())));
            throw new CollapseException(pending.size() + " inputs of " + m.outputKey() + " could not be deleted after "
                    + DELETE_ROUNDS + " attempts (first: " + pending.get(0).key() + ": " + lastError.get(pending.get(0).key())
                    + "); the next run deletes them");
        }
        if (!changed.isEmpty()) {
            throw new CollapseException(changed.size() + " inputs of " + m.outputKey() + " changed after they were read"
                    + " (first: " + changed.get(0) + "); kept, the next run collapses them");
        }
    }

    /** Aborts the incomplete multipart uploads of this group's outputs that an interrupted run left behind. */
    private void abortStaleUploads(Group g) {
        for (MultipartUpload u : s3.listMultipartUploadsPaginator(b -> b.bucket(settings.bucket()).prefix(g.outputBase()))
                .uploads()) {
            if (g.outputNumber(u.key()) > 0) {
                LOG.info("collapse {}: aborting the incomplete multipart upload {} of {} left by an earlier run",
                        g.period(), u.uploadId(), u.key());
                s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(u.key()).uploadId(u.uploadId()));
            }
        }
    }
}
