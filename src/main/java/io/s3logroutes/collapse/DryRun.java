package io.s3logroutes.collapse;

import java.util.ArrayList;
import java.util.List;

import io.s3logroutes.config.Props;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * {@code collapse --dry-run}: the plan of each period group as the lines the command prints, made from what the
 * resume and cut step found ({@link Leftovers.Plan}) or what the plan step settled. Pure: nothing here talks to S3.
 */
public final class DryRun {

    static final String PREFIX = "dry-run ";

    private DryRun() {
    }

    /**
     * One period group: settled by the plan step ({@code settled}: not ended, empty, groups not listable), planned
     * ({@code plan}), or {@code error}: planning it failed (S3 error), the line says why.
     */
    record Entry(Group group, GroupResult settled, Leftovers.Plan plan, String error) {

        static Entry settled(GroupResult r) {
            return new Entry(r.group(), r, null, null);
        }

        static Entry planned(Leftovers.Plan p) {
            return new Entry(p.group(), null, p, null);
        }

        static Entry failed(Group g, String error) {
            return new Entry(g, null, null, error);
        }

        /** Whether the group could not be planned (its line starts with "cannot plan"). */
        boolean unplanned() {
            return error != null || settled != null && settled.status() == GroupResult.Status.FAILED;
        }
    }

    /** What the lines add up to, for the last line and the exit status. */
    record Totals(int groups, int outputs, int inputs, long bytes, int resumed, int wouldFail, int idle,
                  int unplanned) {
    }

    /** The lines of every group, in order, then the total line. */
    static List<String> lines(List<Entry> entries) {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            out.addAll(lines(e));
        }
        out.add(total(totals(entries)));
        return out;
    }

    /** The lines of one group, each starting with {@code dry-run {period} {list prefix}: }. */
    static List<String> lines(Entry e) {
        String head = PREFIX + e.group().period().label() + " " + e.group().listPrefix() + ": ";
        List<String> out = new ArrayList<>();
        if (e.error() != null) {
            out.add(head + "cannot plan: " + e.error());
            return out;
        }
        if (e.settled() != null) {
            GroupResult r = e.settled();
            out.add(head + switch (r.status()) {
                case EMPTY -> "nothing to do: no objects";
                case NOT_RIPE -> "nothing to do: the period has not ended at least s3logs.collapse.grace ago";
                case FAILED -> "cannot plan: " + String.join("; ", r.notes());
                case COLLAPSED -> throw new IllegalArgumentException("a settled group is never collapsed: " + r);
            });
            return out;
        }
        Leftovers.Plan p = e.plan();
        for (MultipartUpload u : p.staleUploads()) {
            out.add(head + "would abort the incomplete multipart upload " + u.uploadId() + " of " + u.key()
                    + " (left by an earlier run)");
        }
        for (Leftovers.Earlier x : p.earlier()) {
            if (x.problem() != null) {
                out.add(head + "would fail: " + x.problem().getMessage());
                return out;
            }
            if (x.reupload()) {
                out.add(head + "would resume " + x.outputKey() + ": its manifest has no output; upload it again from its "
                        + x.present().size() + " inputs, " + size(bytes(x.present())) + ", and delete them");
            } else if (!x.present().isEmpty()) {
                out.add(head + "would resume " + x.outputKey() + ": delete the " + x.present().size()
                        + " inputs it holds that are still there, " + size(bytes(x.present())));
            }
        }
        p.orphans().forEach(o -> out.add(head + o));
        if (p.refused() != null) {
            out.add(head + "would fail: " + p.refused().getMessage());
            return out;
        }
        for (Manifest m : p.outputs()) {
            out.add(head + m.inputs().size() + " inputs, " + size(bytes(m.inputs()))
                    + (!p.kindsRead() ? "" : m.gzip() ? ", gzip" : ", plain") + " -> " + m.outputKey());
        }
        if (out.isEmpty()) {
            out.add(head + "nothing to do: no objects");
        }
        return out;
    }

    static Totals totals(List<Entry> entries) {
        int outputs = 0;
        int inputs = 0;
        long bytes = 0;
        int resumed = 0;
        int wouldFail = 0;
        int idle = 0;
        int unplanned = 0;
        for (Entry e : entries) {
            Leftovers.Plan p = e.plan();
            if (e.unplanned()) {
                unplanned++;
            } else if (p == null) {
                idle++;
            } else {
                List<Leftovers.Earlier> finished = resumed(p);
                resumed += finished.size();
                if (wouldFail(p)) {
                    wouldFail++;
                } else if (finished.isEmpty() && p.outputs().isEmpty() && p.staleUploads().isEmpty()
                        && p.orphans().isEmpty()) {
                    idle++;
                } else {
                    for (Manifest m : p.outputs()) {
                        outputs++;
                        inputs += m.inputs().size();
                        bytes += bytes(m.inputs());
                    }
                }
            }
        }
        return new Totals(entries.size(), outputs, inputs, bytes, resumed, wouldFail, idle, unplanned);
    }

    /** Whether the group would fail: an earlier output that does not fit its manifest, or new outputs refused. */
    private static boolean wouldFail(Leftovers.Plan p) {
        return p.refused() != null || p.earlier().stream().anyMatch(x -> x.problem() != null);
    }

    /** The earlier outputs the run would finish (upload again or delete inputs of), up to the first problem. */
    private static List<Leftovers.Earlier> resumed(Leftovers.Plan p) {
        List<Leftovers.Earlier> out = new ArrayList<>();
        for (Leftovers.Earlier x : p.earlier()) {
            if (x.problem() != null) {
                break;
            }
            if (x.reupload() || !x.present().isEmpty()) {
                out.add(x);
            }
        }
        return out;
    }

    static String total(Totals t) {
        return "dry-run: " + t.groups() + " period groups: " + t.outputs() + " new outputs of " + t.inputs()
                + " inputs, " + size(t.bytes()) + "; " + t.resumed() + " resumed, " + t.wouldFail() + " would fail, "
                + t.idle() + " with nothing to do" + (t.unplanned() > 0 ? ", " + t.unplanned() + " cannot be planned" : "")
                + "; nothing was written or deleted";
    }

    /** 0 when every group was planned (including those that would fail), 1 when one could not be planned. */
    static int exitStatus(List<Entry> entries) {
        return entries.stream().anyMatch(Entry::unplanned) ? 1 : 0;
    }

    private static long bytes(List<Manifest.Input> inputs) {
        return inputs.stream().mapToLong(Manifest.Input::size).sum();
    }

    /** Human-readable, with the exact count: {@code 1.3 MiB (1318579 bytes)}. */
    static String size(long bytes) {
        return bytes < 1024 ? bytes + " bytes" : Props.formatSize(bytes) + " (" + bytes + " bytes)";
    }
}
