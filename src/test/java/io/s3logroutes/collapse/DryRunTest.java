package io.s3logroutes.collapse;

import java.time.LocalDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code collapse --dry-run}: plans to lines, totals and exit status, from plain objects. */
class DryRunTest {

    static final Period DAY = new Period(Increment.DAY, LocalDateTime.parse("2014-12-30T00:00"));
    static final Group GROUP = new Group(DAY, "logs/2014-12-30-", "logs/2014-12-30_collapsed");

    static Manifest.Input in(String key, long size) {
        return new Manifest.Input(key, size, "\"e-" + key + "\"");
    }

    static Manifest manifest(String out, Manifest.Input... inputs) {
        List<Manifest.Input> l = List.of(inputs);
        return new Manifest(1, DAY.label(), GROUP.listPrefix(), out, l.stream().mapToLong(Manifest.Input::size).sum(),
                false, "", "2015-01-05T12:00:00Z", l);
    }

    /** A plan; {@code gzip} null: the kinds were not read, else every output is of that kind. */
    static Leftovers.Plan plan(List<MultipartUpload> stale, List<Leftovers.Earlier> earlier, List<String> orphans,
                               List<Manifest> outputs, Boolean gzip) {
        Leftovers.Plan p = new Leftovers.Plan(GROUP, stale, earlier, orphans, outputs, false, null);
        return gzip == null ? p : p.withGzip(gzip);
    }

    @Test
    void oneLinePerNewOutputWithInputsBytesKindAndKey() {
        Leftovers.Plan p = plan(List.of(), List.of(), List.of(), List.of(
                manifest("logs/2014-12-30_collapsed", in("logs/2014-12-30-00-00-00-A", 65_536),
                        in("logs/2014-12-30-01-00-00-B", 8 * 1024 * 1024)),
                manifest("logs/2014-12-30_collapsed-0002", in("logs/2014-12-30-02-00-00-C", 100))), false);

        List<String> lines = DryRun.lines(List.of(DryRun.Entry.planned(p)));

        assertThat(lines).containsExactly(
                "dry-run 2014-12-30 logs/2014-12-30-: 2 inputs, 8.1 MiB (8454144 bytes), plain -> logs/2014-12-30_collapsed",
                "dry-run 2014-12-30 logs/2014-12-30-: 1 inputs, 100 bytes, plain -> logs/2014-12-30_collapsed-0002",
                "dry-run: 1 period groups: 2 new outputs of 3 inputs, 8.1 MiB (8454244 bytes); 0 resumed, 0 would fail,"
                        + " 0 with nothing to do; nothing was written or deleted");
        assertThat(DryRun.exitStatus(List.of(DryRun.Entry.planned(p)))).isZero();
        assertThat(DryRun.lines(DryRun.Entry.planned(p.withGzip(true))).get(0)).endsWith(
                "(8454144 bytes), gzip -> logs/2014-12-30_collapsed");
    }

    @Test
    void onMixSplitShowsThePlainAndTheGzipOutputOfAPeriod() {
        Leftovers.Plan p = new Leftovers.Plan(GROUP, List.of(), List.of(), List.of(), List.of(
                manifest("logs/2014-12-30_collapsed", in("logs/2014-12-30-00-00-00-A", 100)).withGzip(false),
                manifest("logs/2014-12-30_collapsed.gz", in("logs/2014-12-30-12-00-00-B", 50),
                        in("logs/2014-12-30-13-00-00-C", 60)).withGzip(true)), true, null);

        assertThat(DryRun.lines(List.of(DryRun.Entry.planned(p)))).containsExactly(
                "dry-run 2014-12-30 logs/2014-12-30-: 1 inputs, 100 bytes, plain -> logs/2014-12-30_collapsed",
                "dry-run 2014-12-30 logs/2014-12-30-: 2 inputs, 110 bytes, gzip -> logs/2014-12-30_collapsed.gz",
                "dry-run: 1 period groups: 2 new outputs of 3 inputs, 210 bytes; 0 resumed, 0 would fail,"
                        + " 0 with nothing to do; nothing was written or deleted");
    }

    @Test
    void aMonthIsNamedByTheSeedsMonthString() {
        Period dec = Period.containing(Increment.MONTH, LocalDateTime.parse("2014-12-30T00:00"));
        Group g = new Group(dec, "logs/2014-12-", "logs/2014-12_collapsed");
        Manifest m = new Manifest(1, dec.label(), g.listPrefix(), g.outputKey(1), 7, false, "", "2015-01-05T12:00:00Z",
                List.of(in("logs/2014-12-01-00-00-00-A", 7)));
        Leftovers.Plan p = new Leftovers.Plan(g, List.of(), List.of(), List.of(), List.of(m), false, null);
        assertThat(DryRun.lines(DryRun.Entry.planned(p))).containsExactly(
                "dry-run 2014-12 logs/2014-12-: 1 inputs, 7 bytes -> logs/2014-12_collapsed");
    }

    @Test
    void periodsWithNothingToDoAreOneLineAndAGroupThatCannotBeListedIsExitOne() {
        Group notRipe = new Group(DAY.next(), "logs/", "");
        List<DryRun.Entry> entries = List.of(
                DryRun.Entry.settled(new GroupResult(GROUP, GroupResult.Status.EMPTY, 0, 0, List.of(), List.of())),
                DryRun.Entry.planned(plan(List.of(), List.of(), List.of(), List.of(), null)),
                DryRun.Entry.settled(new GroupResult(notRipe, GroupResult.Status.NOT_RIPE, 0, 0, List.of(), List.of())));

        assertThat(DryRun.lines(entries)).containsExactly(
                "dry-run 2014-12-30 logs/2014-12-30-: nothing to do: no objects",
                "dry-run 2014-12-30 logs/2014-12-30-: nothing to do: no objects",
                "dry-run 2014-12-31 logs/: nothing to do: the period has not ended at least s3logs.collapse.grace ago",
                "dry-run: 3 period groups: 0 new outputs of 0 inputs, 0 bytes; 0 resumed, 0 would fail,"
                        + " 3 with nothing to do; nothing was written or deleted");
        assertThat(DryRun.exitStatus(entries)).isZero();

        List<DryRun.Entry> unlistable = List.of(DryRun.Entry.settled(new GroupResult(GROUP, GroupResult.Status.FAILED,
                0, 0, List.of(), List.of("Access Denied"))), DryRun.Entry.failed(GROUP, "S3Exception: Slow Down"));
        assertThat(DryRun.lines(unlistable)).containsExactly(
                "dry-run 2014-12-30 logs/2014-12-30-: cannot plan: Access Denied",
                "dry-run 2014-12-30 logs/2014-12-30-: cannot plan: S3Exception: Slow Down",
                "dry-run: 2 period groups: 0 new outputs of 0 inputs, 0 bytes; 0 resumed, 0 would fail,"
                        + " 0 with nothing to do, 2 cannot be planned; nothing was written or deleted");
        assertThat(DryRun.exitStatus(unlistable)).isEqualTo(1);
    }

    @Test
    void aRefusedGroupSaysWhyAndShowsNoOutput() {
        Leftovers.Plan p = plan(List.of(), List.of(), List.of(), List.of(manifest("logs/2014-12-30_collapsed",
                in("a", 10), in("b.gz", 20))), null)
                .refusedBy(new CollapseException("b.gz is gzip, but a before it is not gzip: gzip and plain objects"
                        + " are never mixed; nothing uploaded, nothing deleted"));

        List<DryRun.Entry> entries = List.of(DryRun.Entry.planned(p));

        assertThat(DryRun.lines(entries)).containsExactly(
                "dry-run 2014-12-30 logs/2014-12-30-: would fail: b.gz is gzip, but a before it is not gzip: gzip and"
                        + " plain objects are never mixed; nothing uploaded, nothing deleted",
                "dry-run: 1 period groups: 0 new outputs of 0 inputs, 0 bytes; 0 resumed, 1 would fail,"
                        + " 0 with nothing to do; nothing was written or deleted");
        assertThat(DryRun.exitStatus(entries)).isZero();
    }

    @Test
    void leftoversOfAnInterruptedRunSayWhatWouldBeResumedUpToTheFirstProblem() {
        MultipartUpload stale = MultipartUpload.builder().key("logs/2014-12-30_collapsed-0003").uploadId("u-1").build();
        Manifest first = manifest("logs/2014-12-30_collapsed", in("x", 2048), in("y", 2048));
        Manifest second = manifest("logs/2014-12-30_collapsed-0002", in("z", 5));
        Leftovers.Earlier deletes = new Leftovers.Earlier(first.outputKey(), first, first.outputSize(),
                List.of(in("y", 2048)), null);
        Leftovers.Earlier reupload = new Leftovers.Earlier(second.outputKey(), second, null, second.inputs(), null);
        Leftovers.Earlier done = new Leftovers.Earlier(first.outputKey(), first, first.outputSize(), List.of(), null);
        Leftovers.Plan p = plan(List.of(stale), List.of(deletes, done, reupload),
                List.of("output logs/2014-12-30_collapsed-0004 exists without a manifest: left alone"),
                List.of(manifest("logs/2014-12-30_collapsed-0005", in("w", 1))), false);

        assertThat(DryRun.lines(DryRun.Entry.planned(p))).containsExactly(
                "dry-run 2014-12-30 logs/2014-12-30-: would abort the incomplete multipart upload u-1 of"
                        + " logs/2014-12-30_collapsed-0003 (left by an earlier run)",
                "dry-run 2014-12-30 logs/2014-12-30-: would resume logs/2014-12-30_collapsed: delete the 1 inputs"
                        + " it holds that are still there, 2.0 KiB (2048 bytes)",
                "dry-run 2014-12-30 logs/2014-12-30-: would resume logs/2014-12-30_collapsed-0002: its manifest has no"
                        + " output; upload it again from its 1 inputs, 5 bytes, and delete them",
                "dry-run 2014-12-30 logs/2014-12-30-: output logs/2014-12-30_collapsed-0004 exists without a manifest:"
                        + " left alone",
                "dry-run 2014-12-30 logs/2014-12-30-: 1 inputs, 1 bytes, plain -> logs/2014-12-30_collapsed-0005");
        assertThat(DryRun.total(DryRun.totals(List.of(DryRun.Entry.planned(p))))).isEqualTo(
                "dry-run: 1 period groups: 1 new outputs of 1 inputs, 1 bytes; 2 resumed, 0 would fail,"
                        + " 0 with nothing to do; nothing was written or deleted");

        Leftovers.Earlier bad = new Leftovers.Earlier(second.outputKey(), second, 7L, List.of(), new CollapseException(
                "output logs/2014-12-30_collapsed-0002 is 7 bytes but its manifest says 5; left alone, nothing deleted"));
        Leftovers.Plan failing = plan(List.of(), List.of(deletes, bad, reupload), List.of(), p.outputs(), false);
        assertThat(DryRun.lines(DryRun.Entry.planned(failing))).containsExactly(
                "dry-run 2014-12-30 logs/2014-12-30-: would resume logs/2014-12-30_collapsed: delete the 1 inputs"
                        + " it holds that are still there, 2.0 KiB (2048 bytes)",
                "dry-run 2014-12-30 logs/2014-12-30-: would fail: output logs/2014-12-30_collapsed-0002 is 7 bytes but"
                        + " its manifest says 5; left alone, nothing deleted");
        assertThat(DryRun.total(DryRun.totals(List.of(DryRun.Entry.planned(failing))))).isEqualTo(
                "dry-run: 1 period groups: 0 new outputs of 0 inputs, 0 bytes; 1 resumed, 1 would fail,"
                        + " 0 with nothing to do; nothing was written or deleted");
    }
}
