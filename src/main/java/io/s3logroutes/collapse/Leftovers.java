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

    /** An output of an earlier run that has a manifest, and what finishing it takes. */
    record Earlier(String outputKey, Manifest manifest, Long outputSize, List<Manifest.Input> present,
                   CollapseException problem) {
        /** Whether the output is missing and is uploaded again from the manifest's inputs. */
        boolean reupload() {
            return problem == null && outputSize == null;
        }
    }

    /**
     * What the resume and cut step finds for one group, before it changes anything: the incomplete multipart uploads
     * of its outputs, the outputs of earlier runs with a manifest (in number order), those without one, and the new
     * outputs. {@code refused} is why no new output can be cut (a gzip/plain mix of a split period, more than
     * max-size with on-max-size=fail); it ends the group after the earlier outputs are finished.
     */
    record Plan(Group group, List<MultipartUpload> staleUploads, List<Earlier> earlier, List<String> orphans,
                List<Manifest> outputs, Boolean gzip, CollapseException refused) {

        /** This plan with its new outputs refused for {@code why}. */
        Plan refusedBy(CollapseException why) {
            return new Plan(group, staleUploads, earlier, orphans, List.of(), null, why);
        }

        /** This plan with the content kind of its new outputs ({@code true}: gzip). */
        Plan withGzip(boolean g) {
            return new Plan(group, staleUploads, earlier, orphans, outputs, g, refused);
        }
    }

    /** The new outputs of a group; {@code gzip} is set when the cut already read the inputs' kinds (a split period). */
    private record Cut(List<Manifest> outputs, Boolean gzip) {
    }

    void resume(GroupWork w) {
        if (w.isSettled()) {
            return;
        }
        Group g = w.group();
        for (MultipartUpload u : staleUploads(g)) {
            LOG.info("collapse {}: aborting the incomplete multipart upload {} of {} left by an earlier run",
                    g.period(), u.uploadId(), u.key());
            s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(u.key()).uploadId(u.uploadId()));
        }
        Plan plan = plan(g, List.of());
        hook.reached(CollapseHook.Step.SNAPSHOT_TAKEN, g.outputBase());
        for (Earlier e : plan.earlier()) {
            finishEarlier(w, e);
        }
        for (String msg : plan.orphans()) {
            LOG.warn("collapse {}: {}", g.period(), msg);
            w.note(msg);
        }
        if (plan.refused() != null) {
            throw plan.refused();
        }
        plan.outputs().forEach(m -> w.addPending(new OutputWork(w, m)));
    }

    /**
     * The plan of one group (see {@link Plan}); reads only: lists the period, the outputs, their manifests and the
     * incomplete uploads, and reads the first bytes of the inputs when the period is split. {@code staleUploads}
     * are those already known (the dry run lists them; {@link #resume} aborts them first).
     */
    Plan plan(Group g, List<MultipartUpload> staleUploads) {
        Existing existing = existing(g);
        Map<String, S3Object> snapshot = snapshot(g);
        List<Earlier> earlier = new ArrayList<>();
        for (int n : existing.manifests()) {
            earlier.add(earlier(g.outputKey(n), existing.outputs().get(n), snapshot));
        }
        List<String> orphans = new ArrayList<>();
        for (int n : existing.outputs().keySet()) {
            if (!existing.manifests().contains(n)) {
                orphans.add("output " + g.outputKey(n) + " exists without a manifest: left alone");
            }
        }
        Plan plan = new Plan(g, staleUploads, earlier, orphans, List.of(), null, null);
        try {
            Cut cut = cut(g, snapshot, existing.nextNumber());
            return new Plan(g, staleUploads, earlier, orphans, cut.outputs(), cut.gzip(), null);
        } catch (CollapseException e) {
            return plan.refusedBy(e);
        }
    }

    /** The dry run's plan: the incomplete uploads are listed, not aborted. */
    Plan dryPlan(Group g) {
        return plan(g, staleUploads(g));
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

    /**
     * What an output of an earlier run with a manifest needs: its inputs still in the snapshot (taken out of it), and
     * whether its output must be uploaded again; a manifest that cannot be read or does not fit is its problem.
     */
    private Earlier earlier(String out, Long outputSize, Map<String, S3Object> snapshot) {
        Manifest m;
        try {
            m = readManifest(Group.manifestKey(out));
        } catch (CollapseException e) {
            return new Earlier(out, null, outputSize, List.of(), e);
        }
        List<Manifest.Input> present = m.inputs().stream().filter(in -> {
            S3Object o = snapshot.get(in.key());
            return o != null && Concatenator.sameEtag(o.eTag(), in.etag());
        }).toList();
        present.forEach(in -> snapshot.remove(in.key()));
        CollapseException problem = null;
        if (outputSize == null && present.size() != m.inputs().size()) {
            problem = new CollapseException("manifest " + Group.manifestKey(m.outputKey()) + " has no output and "
                    + (m.inputs().size() - present.size()) + " of its inputs are gone or changed; left alone");
        } else if (outputSize != null && outputSize != m.outputSize()) {
            problem = new CollapseException("output " + m.outputKey() + " is " + outputSize + " bytes but its manifest"
                    + " says " + m.outputSize() + "; left alone, nothing deleted");
        }
        return new Earlier(out, m, outputSize, present, problem);
    }

    private Manifest readManifest(String key) {
        return Manifest.parse(key, s3.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(key)).asByteArray());
    }

    /**
     * Finishes an output that an earlier run left: completes it from the manifest if needed, then deletes its
     * inputs that are still there.
     */
    private void finishEarlier(GroupWork w, Earlier e) {
        if (e.problem() != null) {
            throw e.problem();
        }
        Group g = w.group();
        Manifest m = e.manifest();
        List<Manifest.Input> present = e.present();
        if (e.reupload()) {
            LOG.info("collapse {}: {} has a manifest but no output: uploading it again from its {} inputs",
                    g.period(), m.outputKey(), m.inputs().size());
            writer.rewrite(g, m);
        }
        if (!present.isEmpty()) {
            LOG.info("collapse {}: finishing {}: deleting {} inputs that are in it", g.period(), m.outputKey(),
                    present.size());
            deleter.delete(g, new Manifest(m.version(), m.period(), m.listPrefix(), m.outputKey(), m.outputSize(),
                    m.gzip(), m.storageClass(), m.createdAt(), present));
            w.note("resumed " + m.outputKey() + " (" + present.size() + " inputs deleted)");
            w.done(m.outputKey(), present.size(), present.stream().mapToLong(Manifest.Input::size).sum());
        }
    }

    /** The snapshot's remaining inputs as the group's new outputs, numbered from {@code first}. */
    private Cut cut(Group g, Map<String, S3Object> snapshot, int first) {
        if (snapshot.isEmpty()) {
            return new Cut(List.of(), null);
        }
        List<Manifest.Input> inputs = snapshot.values().stream()
                .map(o -> new Manifest.Input(o.key(), o.size(), o.eTag())).toList();
        List<List<Manifest.Input>> chunks = chunks(g, inputs);
        Boolean gzip = chunks.size() > 1 ? concat.checkKinds(inputs) : null;
        List<Manifest> out = new ArrayList<>();
        for (List<Manifest.Input> chunk : chunks) {
            out.add(manifest(g, g.outputKey(first + out.size()), chunk));
        }
        return new Cut(out, gzip);
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

    /** The incomplete multipart uploads of this group's outputs (left behind by an interrupted run). */
    private List<MultipartUpload> staleUploads(Group g) {
        List<MultipartUpload> out = new ArrayList<>();
        for (MultipartUpload u : s3.listMultipartUploadsPaginator(b -> b.bucket(settings.bucket()).prefix(g.outputBase()))
                .uploads()) {
            if (g.outputNumber(u.key()) > 0) {
                out.add(u);
            }
        }
        return out;
    }
}
