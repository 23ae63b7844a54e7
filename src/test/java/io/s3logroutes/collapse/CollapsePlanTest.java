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
    void gzipIsDecidedByTheMagicBytesAndAMixNamesTheKey() {
        Concatenator.KindCheck k = new Concatenator.KindCheck();
        k.check("empty", new byte[0]);
        k.check("a.gz", new byte[] {0x1f, (byte) 0x8b});
        k.check("b", new byte[] {0x1f, (byte) 0x8b, 8});
        assertThat(k.gzip()).isTrue();
        assertThatThrownBy(() -> k.check("plain.log", "ab".getBytes())).isInstanceOf(CollapseException.class)
                .hasMessageStartingWith("plain.log is not gzip, but a.gz before it is gzip");
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
