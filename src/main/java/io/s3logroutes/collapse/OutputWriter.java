package io.s3logroutes.collapse;

import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import io.s3logroutes.s3.Sse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Steps "concatenate", "manifest" and "complete and verify" of one output: upload every part of the concatenation
 * (not completed), write the manifest ({@code If-None-Match}), complete the output ({@code If-None-Match}) and check
 * its size with HeadObject. The manifest is written before the output is completed, so that a run that dies after
 * it leaves a manifest that the next run completes or verifies the output from; a run that dies before it leaves
 * only an incomplete multipart upload, which the next run aborts. A failed manifest or completion aborts the upload.
 */
final class OutputWriter {

    private static final Logger LOG = LoggerFactory.getLogger("io.s3logroutes.collapse");

    private final S3Client s3;
    private final S3Settings settings;
    private final Concatenator concat;
    private final CollapseHook hook;

    OutputWriter(S3Client s3, S3Settings settings, Concatenator concat, CollapseHook hook) {
        this.s3 = s3;
        this.settings = settings;
        this.concat = concat;
        this.hook = hook;
    }

    /** Uploads the parts of {@code m}'s output without completing it. */
    Concatenator.Staged concatenate(Group g, Manifest m) {
        Progress progress = new Progress("collapse " + g.period() + " -> " + m.outputKey(), m.inputs().size(),
                m.outputSize(), System::nanoTime, LOG::info);
        LOG.info("collapse {}: {} objects ({}) under {} -> {}", g.period(), m.inputs().size(),
                Props.formatSize(m.outputSize()), g.listPrefix(), m.outputKey());
        Concatenator.Staged staged = concat.stage(g.period().label(), m.outputKey(), m.inputs(),
                in -> progress.objectDone(in.size()));
        hook.reached(CollapseHook.Step.PARTS_UPLOADED, m.outputKey());
        return staged;
    }

    /** {@code m} with the size and content kind of what was uploaded. */
    static Manifest uploaded(Manifest m, Concatenator.Staged staged) {
        return new Manifest(m.version(), m.period(), m.listPrefix(), m.outputKey(), staged.bytes(), staged.gzip(),
                m.storageClass(), m.createdAt(), m.inputs());
    }

    /** Writes the manifest of a staged output; the upload is aborted when that fails. */
    void manifest(Manifest m, Concatenator.Staged staged) {
        abortOnFailure(staged, () -> putManifest(m));
        hook.reached(CollapseHook.Step.MANIFEST_WRITTEN, m.outputKey());
    }

    /** Completes a staged output and checks its size against the manifest; the upload is aborted when completion fails. */
    void completeAndVerify(Group g, Manifest m, Concatenator.Staged staged) {
        abortOnFailure(staged, () -> complete(m, staged));
        hook.reached(CollapseHook.Step.OUTPUT_COMPLETED, m.outputKey());
        verify(g, m.outputKey(), m.inputs().stream().mapToLong(Manifest.Input::size).sum());
        hook.reached(CollapseHook.Step.OUTPUT_VERIFIED, m.outputKey());
        LOG.info("collapse {} -> {}: {} objects, {} bytes uploaded and verified", g.period(), m.outputKey(),
                m.inputs().size(), m.outputSize());
    }

    /** Uploads again the output of a manifest that an earlier run wrote (its manifest already exists). */
    void rewrite(Group g, Manifest m) {
        Concatenator.Staged staged = concatenate(g, m);
        completeAndVerify(g, uploaded(m, staged), staged);
    }

    private static void abortOnFailure(Concatenator.Staged staged, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            staged.completer().abort();
            throw e;
        }
    }

    private static void complete(Manifest m, Concatenator.Staged staged) {
        try {
            staged.completer().complete();
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new CollapseException("output " + m.outputKey() + " already exists (If-None-Match failed);"
                        + " not overwritten, nothing deleted", e);
            }
            throw e;
        }
    }

    /** The uploaded size check: HeadObject's ContentLength of the completed output against the sum of its inputs. */
    private void verify(Group g, String key, long expected) {
        long actual = s3.headObject(b -> b.bucket(settings.bucket()).key(key)).contentLength();
        if (actual != expected) {
            throw new CollapseException("period " + g.period() + ": output " + key + " is " + actual + " bytes (HeadObject)"
                    + " but its inputs sum to " + expected + " bytes; nothing deleted, the output and its manifest are"
                    + " kept for the next run to check again");
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
        java.nio.file.Path file = null;
        try {
            if (m.inputs().size() <= Spill.BUDGET) {
                s3.putObject(b.build(), RequestBody.fromBytes(m.toJson()));
            } else {
                // a large manifest (about 135 bytes an input) is written to a temporary file and uploaded from it
                file = java.nio.file.Files.createTempFile("s3-log-routes-manifest-", ".json");
                try (var out = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(file), 64 << 10)) {
                    m.writeTo(out);
                }
                s3.putObject(b.build(), RequestBody.fromFile(file));
            }
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new CollapseException("manifest " + key + " already exists; another run is collapsing this"
                        + " period; nothing deleted", e);
            }
            throw e;
        } catch (java.io.IOException e) {
            throw new CollapseException("cannot write manifest " + key + " to a temporary file: " + e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    java.nio.file.Files.deleteIfExists(file);
                } catch (java.io.IOException e) {
                    LOG.warn("cannot delete the temporary file {}: {}", file, e.getMessage());
                }
            }
        }
    }
}
