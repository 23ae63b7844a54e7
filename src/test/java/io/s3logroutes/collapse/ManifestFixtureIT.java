package io.s3logroutes.collapse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A manifest as the released collapse writes it ({@code src/test/resources/collapse/manifest-2014-12-31.json}): it
 * parses, is written back byte for byte, and a run finishes the output it describes (with and without the output).
 */
class ManifestFixtureIT {

    static final String OUT = "2014-12-31_collapsed";
    static final SortedMap<String, byte[]> INPUTS = new TreeMap<>(Map.of(
            "2014-12-31-00-10-00-0A1B2C3D4E5F6A7B", "first line\n".getBytes(StandardCharsets.UTF_8),
            "2014-12-31-13-20-00-1A2B3C4D5E6F7A8B", "second line\n".getBytes(StandardCharsets.UTF_8)));

    static byte[] fixture() throws IOException {
        try (InputStream in = ManifestFixtureIT.class.getResourceAsStream("/collapse/manifest-2014-12-31.json")) {
            assertThat(in).as("fixture").isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void releasedManifestParsesAndIsWrittenTheSameWay() throws IOException {
        Manifest m = Manifest.parse("fixture", fixture());
        assertThat(m.version()).isEqualTo(1);
        assertThat(m.period()).isEqualTo("2014-12-31");
        assertThat(m.listPrefix()).isEqualTo("2014-12-31-");
        assertThat(m.outputKey()).isEqualTo(OUT);
        assertThat(m.outputSize()).isEqualTo(23);
        assertThat(m.gzip()).isFalse();
        assertThat(m.inputs()).extracting(Manifest.Input::key).containsExactlyElementsOf(INPUTS.keySet());
        assertThat(m.inputs().get(0).etag()).isEqualTo("\"e1735158246b267bdc0ec11b0b4c1ecc\"");
        assertThat(new String(m.toJson(), StandardCharsets.UTF_8)).isEqualTo(new String(fixture(), StandardCharsets.UTF_8));
    }

    @Test
    void aRunFinishesTheOutputOfAReleasedManifest() throws IOException {
        Fixture f = new Fixture("manifest-fixture");
        LogData.putAll(f.s3, f.bucket, INPUTS);
        f.s3.putObject(b -> b.bucket(f.bucket).key(OUT), RequestBody.fromBytes(LogData.concat(INPUTS)));
        f.s3.putObject(b -> b.bucket(f.bucket).key(OUT + ".manifest.json"), RequestBody.fromBytes(fixture()));

        List<GroupResult> r = f.run("2014-12-31", "2014-12-31");

        assertThat(r).singleElement().satisfies(x -> {
            assertThat(x.status()).as(x.summary()).isEqualTo(GroupResult.Status.COLLAPSED);
            assertThat(x.summary()).contains("resumed " + OUT + " (2 inputs deleted)");
        });
        assertThat(f.list("").keySet()).containsExactly(OUT, OUT + ".manifest.json");
        assertThat(f.get(OUT)).isEqualTo(LogData.concat(INPUTS));
    }

    @Test
    void aRunUploadsTheMissingOutputOfAReleasedManifest() throws IOException {
        Fixture f = new Fixture("manifest-fixture-no-output");
        LogData.putAll(f.s3, f.bucket, INPUTS);
        f.s3.putObject(b -> b.bucket(f.bucket).key(OUT + ".manifest.json"), RequestBody.fromBytes(fixture()));

        List<GroupResult> r = f.run("2014-12-31", "2014-12-31");

        assertThat(r).singleElement().satisfies(x -> assertThat(x.status()).as(x.summary())
                .isEqualTo(GroupResult.Status.COLLAPSED));
        assertThat(f.list("").keySet()).containsExactly(OUT, OUT + ".manifest.json");
        assertThat(f.get(OUT)).isEqualTo(LogData.concat(INPUTS));
    }
}
