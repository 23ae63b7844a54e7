package io.s3logroutes.collapse;

/**
 * One new output of a group on its way through the steps: its manifest (inputs in order), then the staged upload
 * (parts uploaded, not completed) once concatenated.
 */
public final class OutputWork {

    private final GroupWork group;
    private Manifest manifest;
    private Concatenator.Staged staged;

    OutputWork(GroupWork group, Manifest manifest) {
        this.group = group;
        this.manifest = manifest;
    }

    GroupWork group() {
        return group;
    }

    Manifest manifest() {
        return manifest;
    }

    Concatenator.Staged staged() {
        return staged;
    }

    void staged(Concatenator.Staged s, Manifest withSize) {
        this.staged = s;
        this.manifest = withSize;
    }

    @Override
    public String toString() {
        return manifest.outputKey() + " (" + manifest.inputs().size() + " inputs)";
    }
}
