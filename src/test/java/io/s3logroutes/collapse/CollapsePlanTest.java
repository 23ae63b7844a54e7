package io.s3logroutes.collapse;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The plain parts of collapse: the upload plan, gzip detection, output names, progress lines, summaries. */
class CollapsePlanTest {

    static final long MIB = 1 << 20;

    static Manifest.Input in(String key, long size) {
        return new Manifest.Input(key, size, "\"e\"");
    }

    @Test
    void smallInputsAreReadWholeAndLargeOnesInPiecesOfAtMostOnePart() {
        List<Concatenator.Action> plan = Concatenator.plan(List.of(in("a", 100), in("b", 5 * MIB + 10), in("c", 0)),
                true, 8 * MIB);
        // b starts at offset 100 of the part buffer, which is neither empty nor >= 5 MiB: it is read, not copied
        assertThat(plan).containsExactly(new Concatenator.Fetch(in("a", 100), 0, 100),
                new Concatenator.Fetch(in("b", 5 * MIB + 10), 0, 5 * MIB + 10), new Concatenator.Fetch(in("c", 0), 0, 0));
        List<Concatenator.Action> big = Concatenator.plan(List.of(in("a", 100), in("big", 20 * MIB + 1)), true, 8 * MIB);
        assertThat(big).hasSize(4).allMatch(a -> !(a instanceof Concatenator.Fetch f) || f.length() <= 8 * MIB);
    }

    @Test
    void largeInputsOnAPartBoundaryAreCopiedServerSide() {
        List<Concatenator.Action> plan = Concatenator.plan(List.of(in("first", 6 * MIB), in("small", 10),
                in("fills", 6 * MIB - 10), in("copied", 7 * MIB)), true, 6 * MIB);
        assertThat(plan).containsExactly(new Concatenator.Copy(in("first", 6 * MIB)),
                new Concatenator.Fetch(in("small", 10), 0, 10),
                new Concatenator.Fetch(in("fills", 6 * MIB - 10), 0, 6 * MIB - 10),
                new Concatenator.Copy(in("copied", 7 * MIB)));
        // a single PutObject (total under 5 MiB) never copies
        assertThat(Concatenator.plan(List.of(in("x", 6 * MIB)), false, 8 * MIB)).allMatch(a -> a instanceof Concatenator.Fetch);
    }

    @Test
    void partsAreCountedAsTheMultipartWriterMakesThem() {
        long p = 5 * MIB;
        // buffered: 12 MiB in parts of 5 MiB make 3 parts, 10 MiB exactly 2
        assertThat(Concatenator.parts(Concatenator.plan(sameSize(3, 4 * MIB), true, p), p)).isEqualTo(3);
        assertThat(Concatenator.parts(Concatenator.plan(List.of(in("a", 4 * MIB), in("b", 4 * MIB), in("c", 2 * MIB)),
                true, p), p)).isEqualTo(2);
        // a large input at the start is copied: one part
        assertThat(Concatenator.parts(Concatenator.plan(List.of(in("a", 12 * MIB)), true, p), p)).isEqualTo(1);
        // 6 MiB buffered, then a copy: the buffer is flushed first (a part of its own), then the copy is a part
        List<Concatenator.Action> plan = Concatenator.plan(List.of(in("a", 1 * MIB), in("b", 5 * MIB), in("c", 7 * MIB),
                in("d", 100)), true, 8 * MIB);
        assertThat(plan).filteredOn(a -> a instanceof Concatenator.Copy).hasSize(1);
        assertThat(Concatenator.parts(plan, 8 * MIB)).isEqualTo(3);
    }

    @Test
    void theConfiguredPartSizeIsKeptWhileItsPlanFitsInTenThousandParts() {
        // 48,000 inputs of 1 MiB (46.9 GiB) fit in 9,600 parts of 5 MiB
        List<Manifest.Input> small = sameSize(48_000, MIB);
        Concatenator.PartPlan pp = Concatenator.partPlan(small, true, 5 * MIB, Concatenator.MAX_PARTS);
        assertThat(pp.partSize()).isEqualTo(5 * MIB);
        assertThat(Concatenator.parts(pp.actions(), pp.partSize())).isEqualTo(9_600);
    }

    @Test
    void anOutputThatNeedsMoreThanTenThousandPartsGetsLargerParts() {
        // 64 GiB of 1 MiB inputs: 13,108 parts of 5 MiB are too many; parts of 7 MiB make 9,363
        List<Manifest.Input> small = sameSize(65_536, MIB);
        Concatenator.PartPlan pp = Concatenator.partPlan(small, true, 5 * MIB, Concatenator.MAX_PARTS);
        assertThat(pp.partSize()).isEqualTo(7 * MIB);
        assertThat(Concatenator.parts(pp.actions(), pp.partSize())).isEqualTo(9_363);
        assertThat(pp.actions()).allMatch(a -> a instanceof Concatenator.Fetch f && f.whole());

        // 5 TiB (S3's largest object, max-size=0) of 100 MiB inputs: copied whole, they would be 52,429 parts;
        // with parts of 525 MiB (5 TiB / 10,000, in whole MiB), read into the buffer, they fit
        List<Manifest.Input> big = sameSize(52_428, 100 * MIB);
        big = new java.util.ArrayList<>(big);
        big.add(in("last", CollapseSettings.MAX_OBJECT - 52_428L * 100 * MIB));
        assertThat(big.stream().mapToLong(Manifest.Input::size).sum()).isEqualTo(5L << 40);
        assertThat(Concatenator.parts(Concatenator.plan(big, true, 16 * MIB), 16 * MIB)).isGreaterThan(10_000);
        Concatenator.PartPlan huge = Concatenator.partPlan(big, true, 16 * MIB, Concatenator.MAX_PARTS);
        assertThat(huge.partSize()).isEqualTo(525 * MIB);
        assertThat(Concatenator.parts(huge.actions(), huge.partSize())).isLessThanOrEqualTo(10_000);
        assertThat(huge.actions()).noneMatch(a -> a instanceof Concatenator.Copy);
        assertThat(huge.actions()).allMatch(a -> !(a instanceof Concatenator.Fetch f) || f.length() <= 525 * MIB);

        // inputs of at least one grown part are still copied server-side (here with at most 10 parts: 3 copies of
        // 800 MiB and 600 MiB of small inputs in 2 parts of 300 MiB)
        List<Manifest.Input> mixed = new java.util.ArrayList<>(sameSize(3, 800 * MIB));
        mixed.addAll(sameSize(600, MIB));
        Concatenator.PartPlan few = Concatenator.partPlan(mixed, true, 5 * MIB, 10);
        assertThat(few.partSize()).isEqualTo(300 * MIB);
        assertThat(Concatenator.parts(few.actions(), few.partSize())).isEqualTo(5);
        assertThat(few.actions()).filteredOn(a -> a instanceof Concatenator.Copy).hasSize(3)
                .allMatch(a -> a.input().size() >= few.partSize());
    }

    @Test
    void anOutputThatFitsNoPartSizeUpTo1GiBIsRefused() {
        assertThatThrownBy(() -> Concatenator.partPlan(sameSize(3, 2L << 30), true, 5 * MIB, 2))
                .isInstanceOf(CollapseException.class).hasMessageContaining("needs more than 2 parts even of 1.0 GiB")
                .hasMessageContaining("nothing uploaded");
    }

    @Test
    void maxSizeZeroCutsOnlyAtS3sLargestObject() {
        List<Manifest.Input> big = sameSize(52_429, 100 * MIB);
        List<List<Manifest.Input>> chunks = Leftovers.chunks(big, CollapseSettings.MAX_OBJECT);
        assertThat(chunks).hasSize(2);
        assertThat(chunks.get(0)).hasSize(52_428);
        assertThat(chunks.get(0).stream().mapToLong(Manifest.Input::size).sum()).isLessThanOrEqualTo(5L << 40);
        assertThat(Leftovers.chunks(sameSize(10, 100), 1_000)).hasSize(1);
        assertThat(Leftovers.chunks(sameSize(10, 100), 999)).hasSize(2);
        assertThat(Leftovers.chunks(List.of(), 1_000)).isEmpty();
    }

    @Test
    void theObjectSizeOfARangedAnswerIsTheTotalOfItsContentRange() {
        assertThat(Concatenator.totalOf("bytes 0-1/12345")).isEqualTo(12_345L);
        assertThat(Concatenator.totalOf("bytes 0-1/*")).isNull();
        assertThat(Concatenator.totalOf(null)).isNull();
    }

    static List<Manifest.Input> sameSize(int n, long size) {
        List<Manifest.Input> l = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(in("k" + i, size));
        }
        return l;
    }

    @Test
    void gzipIsDecidedByTheMagicBytesAndAMixNamesTheKey() {
        Concatenator.KindCheck k = new Concatenator.KindCheck();
        k.check("empty", new byte[0]);
        k.check("a.gz", new byte[] {0x1f, (byte) 0x8b});
        k.check("b", new byte[] {0x1f, (byte) 0x8b, 8});
        assertThat(k.gzip()).isTrue();
        assertThatThrownBy(() -> k.check("plain.log", "ab".getBytes())).isInstanceOf(CollapseException.class)
                .hasMessageStartingWith("plain.log is not gzip, but a.gz before it is gzip")
                .hasMessageContaining("s3logs.collapse.on-mix=split");
        Concatenator.KindCheck p = new Concatenator.KindCheck();
        p.check("one-byte", new byte[] {0x1f});
        assertThat(p.gzip()).isFalse();
    }

    @Test
    void outputNamesAndNumbers() {
        Group g = new Group(new Period(Increment.DAY, java.time.LocalDateTime.parse("2014-12-31T00:00")), "p/2014-12-31-",
                "p/2014-12-31_collapsed");
        assertThat(g.outputKey(1)).isEqualTo("p/2014-12-31_collapsed");
        assertThat(g.outputKey(2)).isEqualTo("p/2014-12-31_collapsed-0002");
        assertThat(g.outputNumber("p/2014-12-31_collapsed")).isEqualTo(1);
        assertThat(g.outputNumber("p/2014-12-31_collapsed-0012")).isEqualTo(12);
        assertThat(g.outputNumber("p/2014-12-31_collapsed-0001")).isZero();
        assertThat(g.outputNumber("p/2014-12-31_collapsed.manifest.json")).isZero();
        assertThat(Group.isInput("p/2014-12-31-23_collapsed")).isFalse();
        assertThat(Group.isInput("p/2014-12-31-23-59-01-ABCDEF")).isTrue();
        // on-mix=split: the gzip series is the same names with .gz appended, numbered on its own
        assertThat(g.outputKey(1, true)).isEqualTo("p/2014-12-31_collapsed.gz");
        assertThat(g.outputKey(3, true)).isEqualTo("p/2014-12-31_collapsed-0003.gz");
        assertThat(g.slot("p/2014-12-31_collapsed.gz")).isEqualTo(new Group.Slot(1, true));
        assertThat(g.slot("p/2014-12-31_collapsed-0003.gz")).isEqualTo(new Group.Slot(3, true));
        assertThat(g.slot("p/2014-12-31_collapsed-0002")).isEqualTo(new Group.Slot(2, false));
        assertThat(g.slot("p/2014-12-31_collapsed.gz.manifest.json")).isNull();
        assertThat(g.slot("p/2014-12-31_collapsed.gzip")).isNull();
        assertThat(Group.isInput("p/2014-12-31_collapsed.gz")).isFalse();
    }

    @Test
    void onMixSplitSortsTheInputsByKindAndEmptyOnesGoWithThePlainOnes() {
        List<Manifest.Input> inputs = List.of(in("a", 10), in("b.gz", 20), in("empty", 0), in("c", 30), in("d.gz", 40));
        java.util.Map<String, Boolean> kinds = java.util.Map.of("a", false, "b.gz", true, "c", false, "d.gz", true);
        java.util.Map<Boolean, List<Manifest.Input>> by = Leftovers.byKind(inputs, kinds);
        assertThat(by.get(false)).extracting(Manifest.Input::key).containsExactly("a", "empty", "c");
        assertThat(by.get(true)).extracting(Manifest.Input::key).containsExactly("b.gz", "d.gz");
        // a period of gzip objects only: the empty ones join them, and there is no plain output
        java.util.Map<Boolean, List<Manifest.Input>> gzOnly = Leftovers.byKind(List.of(in("b.gz", 20), in("empty", 0)),
                java.util.Map.of("b.gz", true));
        assertThat(gzOnly.get(false)).isEmpty();
        assertThat(gzOnly.get(true)).extracting(Manifest.Input::key).containsExactly("b.gz", "empty");
    }

    @Test
    void progressEveryThousandObjectsOrFiveSeconds() {
        long[] clock = {0};
        List<String> lines = new java.util.ArrayList<>();
        Progress p = new Progress("collapse 2014-12-31 -> out", 2_500, 2_500_000, () -> clock[0], lines::add);
        for (int i = 0; i < 999; i++) {
            p.objectDone(1_000);
        }
        assertThat(lines).isEmpty();
        clock[0] = 2_000_000_000L;
        p.objectDone(1_000);
        assertThat(lines).containsExactly("collapse 2014-12-31 -> out: 1000/2500 objects, 976.6 KiB of 2.4 MiB, 40%,"
                + " 488.3 KiB/s, ETA 3s");
        clock[0] += 5_000_000_000L;
        p.objectDone(1_000);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("collapse 2014-12-31 -> out: 1001/2500 objects");
    }

    @Test
    void manifestRoundTrip() {
        Manifest m = new Manifest(1, "2014-12-31", "p/2014-12-31-", "p/2014-12-31_collapsed", 30, true, "STANDARD_IA",
                "2015-01-01T00:00:00Z", List.of(in("p/2014-12-31-00-00-00-A", 10), in("p/2014-12-31-00-00-01-B", 20)));
        assertThat(Manifest.parse("k", m.toJson())).isEqualTo(m);
        assertThat(new String(m.toJson())).contains("\"outputKey\" : \"p/2014-12-31_collapsed\"");
        assertThatThrownBy(() -> Manifest.parse("k.manifest.json", "{}".getBytes()))
                .hasMessageStartingWith("manifest k.manifest.json is not a collapse manifest");
    }
}
