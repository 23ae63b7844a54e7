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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Step "resume and cut" of one group: finishes what an earlier run left (stale multipart uploads aborted, outputs
 * with a manifest completed or verified and their remaining inputs deleted), lists the period once (the snapshot)
 * and cuts the inputs not yet in any output into the new outputs, at most {@code max-size} each.
 */
final class Leftovers {

    private static final Logger LOG = LoggerFactory.getLogger("io.s3logroutes.collapse");

    private final S3Client s3;
    private final S3Settings settings;
    private final CollapseSettings cs;
    private final Concatenator concat;
    private final OutputWriter writer;
    private final InputDeleter deleter;
    private final CollapseHook hook;

    Leftovers(S3Client s3, S3Settings settings, CollapseSettings cs, Concatenator concat, OutputWriter writer,
              InputDeleter deleter, CollapseHook hook) {
        this.s3 = s3;
        this.settings = settings;
        this.cs = cs;
        this.concat = concat;
        this.writer = writer;
        this.deleter = deleter;
        this.hook = hook;
    }

    /** The outputs (number to size) and the manifests (numbers) already under the group's output base. */
    private record Existing(Map<Integer, Long> outputs, TreeSet<Integer> manifests) {
        int nextNumber() {
            int maxOutput = outputs.keySet().stream().mapToInt(i -> i).max().orElse(0);
            return 1 + Math.max(maxOutput, manifests.isEmpty() ? 0 : manifests.last());
        }
    }

    void resume(GroupWork w) {
        if (w.isSettled()) {
            return;
        }
        Group g = w.group();
        abortStaleUploads(g);
        Existing existing = existing(g);
        Map<String, S3Object> snapshot = snapshot(g);
        hook.reached(CollapseHook.Step.SNAPSHOT_TAKEN, g.outputBase());
        for (int n : existing.manifests()) {
            finishEarlier(w, g.outputKey(n), existing.outputs().get(n), snapshot);
        }
        warnOrphans(w, existing);
        cut(w, snapshot, existing.nextNumber());
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

    private Existing existing(Group g) {
        Map<Integer, Long> outputs = new TreeMap<>();
        TreeSet<Integer> manifests = new TreeSet<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(g.outputBase())).contents()) {
            String k = o.key();
            if (k.endsWith(Group.MANIFEST_SUFFIX)) {
                int n = g.outputNumber(k.substring(0, k.length() - Group.MANIFEST_SUFFIX.length()));
                if (n > 0) {
                    manifests.add(n);
                }
            } else if (g.outputNumber(k) > 0) {
                outputs.put(g.outputNumber(k), o.size());
            }
        }
        return new Existing(outputs, manifests);
    }

    /** Finishes one output of an earlier run and takes the inputs it holds out of the snapshot. */
    private void finishEarlier(GroupWork w, String out, Long outputSize, Map<String, S3Object> snapshot) {
        Manifest m = readManifest(Group.manifestKey(out));
        List<Manifest.Input> finished = resume(w, m, outputSize, snapshot);
        if (!finished.isEmpty()) {
            w.done(out, finished.size(), finished.stream().mapToLong(Manifest.Input::size).sum());
        }
        for (Manifest.Input in : m.inputs()) {
            S3Object o = snapshot.get(in.key());
            if (o != null && Concatenator.sameEtag(o.eTag(), in.etag())) {
                snapshot.remove(in.key());
            }
        }
    }

    private void warnOrphans(GroupWork w, Existing existing) {
        for (int n : existing.outputs().keySet()) {
            if (!existing.manifests().contains(n)) {
                String msg = "output " + w.group().outputKey(n) + " exists without a manifest: left alone";
                LOG.warn("collapse {}: {}", w.group().period(), msg);
                w.note(msg);
            }
        }
    }

    private Manifest readManifest(String key) {
        return Manifest.parse(key, s3.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(key)).asByteArray());
    }

    /**
     * Finishes an output that an earlier run left: completes it from the manifest if needed, then deletes its
     * inputs that are still there. Returns those inputs.
     */
    private List<Manifest.Input> resume(GroupWork w, Manifest m, Long outputSize, Map<String, S3Object> snapshot) {
        Group g = w.group();
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
            writer.rewrite(g, m);
        } else if (outputSize != m.outputSize()) {
            throw new CollapseException("output " + m.outputKey() + " is " + outputSize + " bytes but its manifest says "
                    + m.outputSize() + "; left alone, nothing deleted");
        }
        if (!present.isEmpty()) {
            LOG.info("collapse {}: finishing {}: deleting {} inputs that are in it", g.period(), m.outputKey(),
                    present.size());
            deleter.delete(g, new Manifest(m.version(), m.period(), m.listPrefix(), m.outputKey(), m.outputSize(),
                    m.gzip(), m.storageClass(), m.createdAt(), present));
            w.note("resumed " + m.outputKey() + " (" + present.size() + " inputs deleted)");
        }
        return present;
    }

    /** The snapshot's remaining inputs as the group's new outputs, numbered from {@code first}. */
    private void cut(GroupWork w, Map<String, S3Object> snapshot, int first) {
        if (snapshot.isEmpty()) {
            return;
        }
        List<Manifest.Input> inputs = snapshot.values().stream()
                .map(o -> new Manifest.Input(o.key(), o.size(), o.eTag())).toList();
        List<List<Manifest.Input>> chunks = chunks(w.group(), inputs);
        if (chunks.size() > 1) {
            concat.checkKinds(inputs);
        }
        for (List<Manifest.Input> chunk : chunks) {
            String out = w.group().outputKey(w.nextPendingNumber(first));
            w.addPending(new OutputWork(w, manifest(w.group(), out, chunk)));
        }
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

    private Manifest manifest(Group g, String out, List<Manifest.Input> inputs) {
        return new Manifest(1, g.period().label(), g.listPrefix(), out,
                inputs.stream().mapToLong(Manifest.Input::size).sum(), false,
                cs.storageClass().map(Object::toString).orElse(""), Instant.now().toString(), inputs);
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
