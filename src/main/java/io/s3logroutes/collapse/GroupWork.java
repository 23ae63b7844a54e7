package io.s3logroutes.collapse;

import java.util.ArrayList;
import java.util.List;

/**
 * One period group on its way through the collapse steps: what the plan found, the new outputs still to write, and
 * what is done so far (outputs, objects, bytes, notes) for its summary line.
 */
public final class GroupWork {

    private final Group group;
    /** Set by the plan when there is nothing to collapse (period not ripe, empty, or its groups not listable). */
    private final GroupResult planned;
    private final List<String> outputs = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<OutputWork> pending = new ArrayList<>();
    private int objects;
    private long bytes;

    private GroupWork(Group group, GroupResult planned) {
        this.group = group;
        this.planned = planned;
    }

    static GroupWork of(Group group) {
        return new GroupWork(group, null);
    }

    /** A group that the plan already settled: its result is {@code planned}, no step changes it. */
    static GroupWork settled(GroupResult planned) {
        return new GroupWork(planned.group(), planned);
    }

    public Group group() {
        return group;
    }

    boolean isSettled() {
        return planned != null;
    }

    /** The new outputs of this group, in order, that the steps concatenate, record, complete and delete. */
    public List<OutputWork> getPending() {
        return List.copyOf(pending);
    }

    void addPending(OutputWork o) {
        pending.add(o);
    }

    int nextPendingNumber(int first) {
        return first + pending.size();
    }

    void done(String output, int objectCount, long byteCount) {
        if (!outputs.contains(output)) {
            outputs.add(output);
        }
        objects += objectCount;
        bytes += byteCount;
    }

    void note(String note) {
        notes.add(note);
    }

    /** The summary of the group after its last step. */
    GroupResult result() {
        if (planned != null) {
            return planned;
        }
        GroupResult.Status status = outputs.isEmpty() ? GroupResult.Status.EMPTY : GroupResult.Status.COLLAPSED;
        return new GroupResult(group, status, objects, bytes, List.copyOf(outputs), List.copyOf(notes));
    }

    /** The summary of the group after a step failed with {@code why}: what was done before stays in it. */
    GroupResult failed(String why) {
        List<String> n = new ArrayList<>(notes);
        n.add(why);
        return new GroupResult(group, GroupResult.Status.FAILED, objects, bytes, List.copyOf(outputs), n);
    }
}
