package io.s3logroutes.collapse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class InputListTest {

    @TempDir
    Path dir;

    private static List<Manifest.Input> inputs(int n) {
        List<Manifest.Input> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Manifest.Input(String.format("logs/2014-12-31-%08d-é", i), i % 7 * 1000L, "\"etag" + i + "\""));
        }
        return out;
    }

    @Test
    void spillsBeyondItsBudgetAndReadsBackEveryInput() throws Exception {
        List<Manifest.Input> all = inputs(5_000);
        try (Spill spill = new Spill(dir, 100)) {
            InputList.Builder b = spill.builder();
            all.forEach(b::add);
            InputList list = b.build();
            assertThat(list.spilled()).isTrue();
            assertThat(list).hasSize(5_000).isEqualTo(all);
            assertThat(list.get(4_999)).isEqualTo(all.get(4_999));
            assertThat(list.get(17)).isEqualTo(all.get(17));
            assertThat(list.bytes()).isEqualTo(all.stream().mapToLong(Manifest.Input::size).sum());
            // the spill file is removed from the directory as soon as it is opened
            try (var files = Files.list(dir)) {
                assertThat(files).isEmpty();
            }
        }
    }

    @Test
    void staysInMemoryUpToItsBudget() {
        try (Spill spill = new Spill(dir, 100)) {
            InputList.Builder b = spill.builder();
            inputs(100).forEach(b::add);
            assertThat(b.build().spilled()).isFalse();
        }
    }

    @Test
    void aSpilledManifestIsWrittenAndReadBackStreamed() {
        try (Spill spill = new Spill(dir, 10)) {
            InputList.Builder b = spill.builder();
            inputs(1_000).forEach(b::add);
            Manifest m = new Manifest(1, "2014-12-31", "logs/2014-12-31-", "logs/2014-12-31_collapsed", 42, true,
                    "", "2014-12-31T01:00:00Z", b.build());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            m.writeTo(out);
            assertThat(out.toByteArray()).isEqualTo(m.toJson());
            Manifest back = Manifest.read("k", new ByteArrayInputStream(out.toByteArray()), spill.builder());
            assertThat(back).isEqualTo(m);
            assertThat(((InputList) back.inputs()).spilled()).isTrue();
            assertThat(Manifest.parse("k", out.toByteArray())).isEqualTo(back);
        }
    }

    @Test
    void theStreamedPlanIsThePlan() {
        List<Manifest.Input> in = List.of(new Manifest.Input("a", 100, "e"), new Manifest.Input("b", 6L << 20, "e"),
                new Manifest.Input("c", 0, "e"), new Manifest.Input("d", 20L << 20, "e"));
        List<Concatenator.Action> streamed = new ArrayList<>();
        Concatenator.actions(in, true, 8L << 20, CollapseSettings.MIN_PART).forEachRemaining(streamed::add);
        assertThat(streamed).isEqualTo(Concatenator.plan(in, true, 8L << 20));
        assertThat(streamed).hasSize(4);
    }
}
