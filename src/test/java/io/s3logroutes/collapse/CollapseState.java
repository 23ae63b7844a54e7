package io.s3logroutes.collapse;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * The state of one collapse period in a bucket, checked against the inputs that were put there: every input is
 * either still present with its bytes or inside a completed output whose manifest lists it and whose bytes are the
 * concatenation of its manifest's inputs. {@link #assertComplete} adds what must hold once a run has completed:
 * no input left, every input in exactly one output, no manifest without its output, no multipart upload left.
 */
final class CollapseState {

    final int present;
    final int inOutputs;
    final int outputs;
    /** Manifests whose output is not completed yet: a run stopped between writing the manifest and completing. */
    final List<String> pendingManifests = new ArrayList<>();
    final List<String> problems = new ArrayList<>();

    private CollapseState(int present, int inOutputs, int outputs) {
        this.present = present;
        this.inOutputs = inOutputs;
        this.outputs = outputs;
    }

    /**
     * Reads the bucket under {@code prefix} for the period whose keys start with {@code period} (for example
     * {@code 2014-12-31}); {@code inputs} are the period's inputs as they were put (key to bytes).
     */
    static CollapseState read(S3Client s3, String bucket, String prefix, String period, SortedMap<String, byte[]> inputs) {
        SortedMap<String, Long> listed = LogData.list(s3, bucket, prefix + period);
        String base = prefix + period + "_collapsed";
        Map<String, Integer> containing = new HashMap<>();
        List<String> problems = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        int outputs = 0;
        for (String key : listed.keySet()) {
            if (!key.startsWith(base) || !key.endsWith(".manifest.json")) {
                continue;
            }
            Manifest m = Manifest.parse(key, LogData.get(s3, bucket, key));
            if (!listed.containsKey(m.outputKey())) {
                pending.add(key);
                continue;
            }
            outputs++;
            ByteArrayOutputStream want = new ByteArrayOutputStream();
            for (Manifest.Input in : m.inputs()) {
                byte[] body = inputs.get(in.key());
                if (body == null) {
                    problems.add(m.outputKey() + " lists " + in.key() + ", which was never an input");
                    continue;
                }
                want.writeBytes(body);
                containing.merge(in.key(), 1, Integer::sum);
            }
            byte[] got = LogData.get(s3, bucket, m.outputKey());
            if (!LogData.digest(got).equals(LogData.digest(want.toByteArray()))) {
                problems.add("output " + m.outputKey() + " is " + LogData.digest(got) + ", its manifest's inputs are "
                        + LogData.digest(want.toByteArray()));
            }
        }
        int present = 0;
        int inOutputs = 0;
        for (Map.Entry<String, byte[]> in : inputs.entrySet()) {
            Long size = listed.get(in.getKey());
            boolean there = size != null;
            if (there) {
                present++;
                if (size != in.getValue().length) {
                    problems.add("input " + in.getKey() + " is " + size + " bytes, was " + in.getValue().length);
                }
            }
            int n = containing.getOrDefault(in.getKey(), 0);
            if (n > 0) {
                inOutputs++;
            }
            if (n > 1) {
                problems.add("input " + in.getKey() + " is in " + n + " outputs");
            }
            if (!there && n == 0) {
                problems.add("input " + in.getKey() + " is lost: neither in the bucket nor in an output");
            }
        }
        for (String key : listed.keySet()) {
            if (!key.startsWith(base) && !inputs.containsKey(key)) {
                problems.add("unexpected object " + key);
            }
        }
        CollapseState s = new CollapseState(present, inOutputs, outputs);
        s.problems.addAll(problems);
        s.pendingManifests.addAll(pending);
        return s;
    }

    /**
     * Nothing lost, no output that differs from its manifest (what must hold at any time, even after a kill; a
     * manifest whose output is not completed yet is allowed, its inputs are then still in the bucket).
     */
    CollapseState assertNothingLost() {
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " problems, first: " + problems.subList(0, Math.min(5, problems.size())));
        }
        return this;
    }

    /** After a completed run: every input in exactly one output, none left, no multipart upload left. */
    CollapseState assertComplete(S3Client s3, String bucket, int inputCount) {
        assertNothingLost();
        if (!pendingManifests.isEmpty()) {
            throw new AssertionError("after completion: manifests without their output: " + pendingManifests);
        }
        if (present != 0 || inOutputs != inputCount || outputs == 0) {
            throw new AssertionError("after completion: " + present + " inputs left, " + inOutputs + " of "
                    + inputCount + " in " + outputs + " outputs");
        }
        int uploads = s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().size();
        if (uploads != 0) {
            throw new AssertionError(uploads + " multipart uploads left");
        }
        return this;
    }

    @Override
    public String toString() {
        return present + " inputs present, " + inOutputs + " in " + outputs + " completed outputs";
    }

    /** Deletes the period's outputs and manifests (after they were checked), so that the server's memory stays small. */
    static void dropOutputs(S3Client s3, String bucket, String prefix, String period) {
        for (String key : new TreeMap<>(LogData.list(s3, bucket, prefix + period + "_collapsed")).keySet()) {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        }
    }
}
