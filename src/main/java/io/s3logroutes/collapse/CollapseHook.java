package io.s3logroutes.collapse;

/** Called between the steps of collapsing one output; tests use it to stop a run at any step. */
@FunctionalInterface
public interface CollapseHook {

    enum Step { SNAPSHOT_TAKEN, PARTS_UPLOADED, MANIFEST_WRITTEN, OUTPUT_COMPLETED, OUTPUT_VERIFIED, DELETE_BATCH_DONE }

    CollapseHook NONE = (step, outputKey) -> { };

    void reached(Step step, String outputKey);
}
