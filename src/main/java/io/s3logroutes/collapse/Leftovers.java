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
 * and cuts the inputs not yet in any output into the new outputs, at most {@code max-size} each (S3's 5 TiB with
 * {@code max-size=0}). With {@code on-mix=split} the plain inputs go into the group's outputs and the gzip inputs
 * into the {@code .gz} series ({@link Group}).
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
    private final java.util.function.Supplier<Spill> spill;

    Leftovers(S3Client s3, S3Settings settings, CollapseSettings cs, Concatenator concat, OutputWriter writer,
              InputDeleter deleter, CollapseHook hook, java.util.function.Supplier<Spill> spill) {
        this.spill = spill;
        this.s3 = s3;
        this.settings = settings;
        this.cs = cs;
        this.concat = concat;
        this.writer = writer;
        this.deleter = deleter;
        this.hook = hook;
    }

    /** The outputs (slot to size) and the manifests (slots) of both series already under the group's output base. */
    private record Existing(Map<Group.Slot, Long> outputs, TreeSet<Group.Slot> manifests) {
        /** The number of the next new output of the plain or the {@code .gz} series. */
        int nextNumber(boolean gz) {
            int maxOutput = outputs.keySet().stream().filter(s -> s.gz() == gz).mapToInt(Group.Slot::number).max().orElse(0);
            int maxManifest = manifests.stream().filter(s -> s.gz() == gz).mapToInt(Group.Slot::number).max().orElse(0);
            return 1 + Math.max(maxOutput, maxManifest);
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
     * outputs. {@code refused} is why no new output can be cut (a gzip/plain mix with on-mix=fail found while
     * cutting, more than max-size with on-max-size=fail); it ends the group after the earlier outputs are finished.
     * {@code kindsRead}: the inputs' first bytes were read, and each new output's manifest says gzip or plain.
     */
    record Plan(Group group, List<MultipartUpload> staleUploads, List<Earlier> earlier, List<String> orphans,
                List<Manifest> outputs, boolean kindsRead, CollapseException refused) {

        /** This plan with its new outputs refused for {@code why}. */
        Plan refusedBy(CollapseException why) {
            return new Plan(group, staleUploads, earlier, orphans, List.of(), false, why);
        }

        /** This plan with the content kind of all its new outputs ({@code true}: gzip). */
        Plan withGzip(boolean g) {
            return new Plan(group, staleUploads, earlier, orphans, outputs.stream().map(m -> m.withGzip(g)).toList(),
                    true, refused);
        }
    }

    /** The new outputs of a group; {@code kindsRead} when the cut read the inputs' kinds (a split or cut period). */
    private record Cut(List<Manifest> outputs, boolean kindsRead) {
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
        Snapshot snapshot = snapshot(g);
        List<Earlier> earlier = new ArrayList<>();
        for (Group.Slot n : existing.manifests()) {
            earlier.add(earlier(g.outputKey(n), existing.outputs().get(n), snapshot));
        }
        List<String> orphans = new ArrayList<>();
        for (Group.Slot n : existing.outputs().keySet()) {
            if (!existing.manifests().contains(n)) {
                orphans.add("output " + g.outputKey(n) + " exists without a manifest: left alone");
            }
        }
        Plan plan = new Plan(g, staleUploads, earlier, orphans, List.of(), false, null);
        try {
            Cut cut = cut(g, snapshot, existing);
            return new Plan(g, staleUploads, earlier, orphans, cut.outputs(), cut.kindsRead(), null);
        } catch (CollapseException e) {
            return plan.refusedBy(e);
        }
    }

    /** The dry run's plan: the incomplete uploads are listed, not aborted. */
    Plan dryPlan(Group g) {
        return plan(g, staleUploads(g));
    }

    /**
     * Every input of the period, all pages, in the order listed: the snapshot this run works on. Streamed into an
     * {@link InputList}, which spills beyond its budget; inputs that belong to an earlier output are marked taken.
     */
    Snapshot snapshot(Group g) {
        long t0 = System.nanoTime();
        InputList.Builder b = spill.get().builder();
        String last = null;
        boolean ordered = true;
        for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(settings.bucket()).prefix(g.listPrefix())).contents()) {
            if (Group.isInput(o.key())) {
                if (last != null && InputDeleter.ListRange.compare(last, o.key()) >= 0) {
                    ordered = false;
                }
                last = o.key();
                b.add(new Manifest.Input(o.key(), o.size(), o.eTag()));
            }
        }
        InputList listed = b.build();
        LOG.info("collapse {}: listed {} inputs under {} in {} ms{}", g.period(), listed.size(), g.listPrefix(),
                (System.nanoTime() - t0) / 1_000_000, listed.spilled() ? " (key list spilled to a temporary file)" : "");
        return new Snapshot(listed, ordered);
    }

    /**
     * The period's inputs as listed, and which of them are already in an output of an earlier run. A key is found
     * by binary search in S3's order (UTF-8 bytes); a listing out of that order is searched through a map.
     */
    static final class Snapshot {
        private final InputList listed;
        private final java.util.BitSet taken = new java.util.BitSet();
        private Map<String, Integer> index;

        Snapshot(InputList listed, boolean ordered) {
            this.listed = listed;
            if (!ordered) {
                index = new java.util.HashMap<>();
                for (int i = 0; i < listed.size(); i++) {
                    index.put(listed.get(i).key(), i);
                }
            }
        }

        boolean isEmpty() {
            return taken.cardinality() == listed.size();
        }

        /** The index of a key not yet taken; -1 if absent or taken. */
        int find(String key) {
            int i;
            if (index != null) {
                i = index.getOrDefault(key, -1);
            } else {
                int lo = 0;
                int hi = listed.size() - 1;
                i = -1;
                while (lo <= hi) {
                    int mid = (lo + hi) >>> 1;
                    int c = InputDeleter.ListRange.compare(listed.get(mid).key(), key);
                    if (c < 0) {
                        lo = mid + 1;
                    } else if (c > 0) {
                        hi = mid - 1;
                    } else {
                        i = mid;
                        break;
                    }
                }
            }
            return i >= 0 && !taken.get(i) ? i : -1;
        }

        Manifest.Input get(int i) {
            return listed.get(i);
        }

        void take(int i) {
            taken.set(i);
        }

        /** The inputs not taken, in order: the listing itself when none was. */
        List<Manifest.Input> remaining(Spill spill) {
            if (taken.isEmpty()) {
                return listed;
            }
            InputList.Builder b = spill.builder();
            for (int i = taken.nextClearBit(0); i < listed.size(); i = taken.nextClearBit(i + 1)) {
                b.add(listed.get(i));
            }
            return b.build();
        }
    }

    private Existing existing(Group g) {
        Map<Group.Slot, Long> outputs = new TreeMap<>();
        TreeSet<Group.Slot> manifests = new TreeSet<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(g.outputBase())).contents()) {
            String k = o.key();
            if (k.endsWith(Group.MANIFEST_SUFFIX)) {
                Group.Slot n = g.slot(k.substring(0, k.length() - Group.MANIFEST_SUFFIX.length()));
                if (n != null) {
                    manifests.add(n);
                }
            } else if (g.slot(k) != null) {
                outputs.put(g.slot(k), o.size());
            }
        }
        return new Existing(outputs, manifests);
    }

    /**
     * What an output of an earlier run with a manifest needs: its inputs still in the snapshot (taken out of it), and
     * whether its output must be uploaded again; a manifest that cannot be read or does not fit is its problem.
     */
    private Earlier earlier(String out, Long outputSize, Snapshot snapshot) {
        Manifest m;
        try {
            m = readManifest(Group.manifestKey(out));
        } catch (CollapseException e) {
            return new Earlier(out, null, outputSize, List.of(), e);
        }
        InputList.Builder present = spill.get().builder();
        for (Manifest.Input in : m.inputs()) {
            int i = snapshot.find(in.key());
            if (i >= 0 && Concatenator.sameEtag(snapshot.get(i).etag(), in.etag())) {
                snapshot.take(i);
                present.add(in);
            }
        }
        InputList presentList = present.build();
        CollapseException problem = null;
        if (outputSize == null && presentList.size() != m.inputs().size()) {
            problem = new CollapseException("manifest " + Group.manifestKey(m.outputKey()) + " has no output and "
                    + (m.inputs().size() - presentList.size()) + " of its inputs are gone or changed; left alone");
        } else if (outputSize != null && outputSize != m.outputSize()) {
            problem = new CollapseException("output " + m.outputKey() + " is " + outputSize + " bytes but its manifest"
                    + " says " + m.outputSize() + "; left alone, nothing deleted");
        }
        return new Earlier(out, m, outputSize, presentList, problem);
    }

    /** Reads a manifest streamed, its inputs into a spilling list. */
    private Manifest readManifest(String key) {
        try (var in = s3.getObject(b -> b.bucket(settings.bucket()).key(key))) {
            return Manifest.read(key, in, spill.get().builder());
        } catch (java.io.IOException e) {
            throw new CollapseException("cannot read manifest " + key + ": " + e.getMessage(), e);
        }
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

    /**
     * The snapshot's remaining inputs as the group's new outputs, numbered after the existing ones. With
     * {@code on-mix=split} every input's first bytes are read and the plain and gzip inputs are cut into their own
     * series; otherwise they are read only when the period is cut into several outputs (a mix then fails the whole
     * period before anything is uploaded), and a single output finds a mix while it is uploaded.
     */
    private Cut cut(Group g, Snapshot snapshot, Existing existing) {
        if (snapshot.isEmpty()) {
            return new Cut(List.of(), false);
        }
        List<Manifest.Input> inputs = snapshot.remaining(spill.get());
        List<Manifest> out = new ArrayList<>();
        if (cs.onMix() == CollapseSettings.OnMix.SPLIT) {
            Map<Boolean, List<Manifest.Input>> kinds = byKind(inputs, concat.kinds(inputs));
            for (boolean gz : List.of(false, true)) {
                int n = existing.nextNumber(gz);
                for (List<Manifest.Input> chunk : chunks(g, kinds.get(gz), gz ? "gzip " : "plain ")) {
                    out.add(manifest(g, g.outputKey(n++, gz), chunk).withGzip(gz));
                }
            }
            return new Cut(out, true);
        }
        List<List<Manifest.Input>> chunks = chunks(g, inputs, "");
        Boolean gzip = chunks.size() > 1 ? concat.checkKinds(inputs) : null;
        int n = existing.nextNumber(false);
        for (List<Manifest.Input> chunk : chunks) {
            Manifest m = manifest(g, g.outputKey(n++), chunk);
            out.add(gzip == null ? m : m.withGzip(gzip));
        }
        return new Cut(out, gzip != null);
    }

    /**
     * The inputs by content kind ({@code true}: gzip), in key order, from the kinds read ({@code gzip}: key to gzip;
     * empty inputs are absent). Empty inputs go with the plain ones, or with the gzip ones when there is no plain
     * input. Pure.
     */
    static Map<Boolean, List<Manifest.Input>> byKind(List<Manifest.Input> inputs, Map<String, Boolean> gzip) {
        boolean anyPlain = inputs.stream().anyMatch(in -> Boolean.FALSE.equals(gzip.get(in.key())));
        boolean anyGzip = inputs.stream().anyMatch(in -> Boolean.TRUE.equals(gzip.get(in.key())));
        boolean emptyGoesToGzip = anyGzip && !anyPlain;
        Map<Boolean, List<Manifest.Input>> out = new java.util.HashMap<>();
        out.put(false, new ArrayList<>());
        out.put(true, new ArrayList<>());
        for (Manifest.Input in : inputs) {
            Boolean g = gzip.get(in.key());
            out.get(g == null ? emptyGoesToGzip : g).add(in);
        }
        return out;
    }

    /**
     * The inputs cut into outputs of at most {@code max-size} (S3's 5 TiB with {@code max-size=0}); with
     * {@code on-max-size=fail} more than that fails the period. {@code kind} names the inputs in the error
     * ({@code "gzip "}, {@code "plain "} or empty).
     */
    private List<List<Manifest.Input>> chunks(Group g, List<Manifest.Input> inputs, String kind) {
        long total = inputs.stream().mapToLong(Manifest.Input::size).sum();
        if (total > cs.outputLimit() && cs.onMaxSize() == CollapseSettings.OnMaxSize.FAIL) {
            throw new CollapseException("period " + g.period() + " (" + g.listPrefix() + ") holds " + inputs.size()
                    + " " + kind + "objects of " + Props.formatSize(total) + ", more than " + (cs.maxSize() == 0
                    ? "S3's largest object (" + Props.formatSize(cs.outputLimit()) + ", s3logs.collapse.max-size=0)"
                    : "s3logs.collapse.max-size=" + Props.formatSize(cs.maxSize()))
                    + " with s3logs.collapse.on-max-size=fail; nothing uploaded");
        }
        return chunks(inputs, cs.outputLimit());
    }

    /** The inputs, in order, cut into runs of at most {@code limit} bytes (an input larger than that alone). Pure. */
    static List<List<Manifest.Input>> chunks(List<Manifest.Input> inputs, long limit) {
        List<List<Manifest.Input>> out = new ArrayList<>();
        int from = 0;
        long size = 0;
        for (int i = 0; i < inputs.size(); i++) {
            long s = inputs.get(i).size();
            if (i > from && size + s > limit) {
                out.add(inputs.subList(from, i));
                from = i;
                size = 0;
            }
            size += s;
        }
        if (from < inputs.size()) {
            out.add(inputs.subList(from, inputs.size()));
        }
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
            if (g.slot(u.key()) != null) {
                out.add(u);
            }
        }
        return out;
    }
}
