package io.s3logroutes.collapse;

import java.util.List;

/** The outcome of one group of one period: what the summary line says. */
public record GroupResult(Group group, Status status, int objects, long bytes, List<String> outputs,
                          List<String> notes) {

    public enum Status { COLLAPSED, EMPTY, FAILED, NOT_RIPE }

    public boolean ok() {
        return status != Status.FAILED;
    }

    /** One line: period, prefix, objects, bytes, output keys or "no objects", and any notes. */
    public String summary() {
        String head = "collapse " + group.period().label() + " " + group.listPrefix() + ": ";
        String body = switch (status) {
            case EMPTY -> "no objects";
            case NOT_RIPE -> "not collapsed yet: the period has not ended at least s3logs.collapse.grace ago";
            case COLLAPSED -> objects + " objects, " + bytes + " bytes -> " + String.join(", ", outputs);
            case FAILED -> "FAILED" + (objects > 0 ? " (" + objects + " objects, " + bytes + " bytes done -> "
                    + String.join(", ", outputs) + ")" : "");
        };
        return head + body + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
    }
}
