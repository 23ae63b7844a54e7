package io.s3logroutes.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.s3logroutes.event.EventCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch's key pattern lives in its spool file name, from open to sealed to the next start. */
class SpoolNamesTest {

    static final String URGENT = "urgent/{server}/{yyyy-MM-dd}/{HH.mm.ss}-{seq}";

    @TempDir
    Path dir;

    @Test
    void aPatternSurvivesSealingAndARestart() throws Exception {
        Spool spool = new Spool(dir, 1 << 20);
        String odd = "ünï/{server}/a+b=c?-{seq}";
        Path urgent = spool.open(URGENT);
        Path plain = spool.open();
        Path other = spool.open(odd);
        for (Path p : List.of(urgent, plain, other)) {
            Files.writeString(p, "x\n");
        }
        assertThat(plain.getFileName().toString()).matches("\\d+-\\d+\\.open");
        assertThat(urgent.getFileName().toString()).matches("\\d+-\\d+\\.k[A-Za-z0-9_-]+\\.open");

        List<Spool.Batch> sealed = spool.sealAll(List.of(urgent, plain, other), EventCodec.Format.JSON, true);
        assertThat(sealed).extracting(Spool.Batch::keyPattern).containsExactly(URGENT, null, odd);
        assertThat(sealed).allSatisfy(b -> {
            assertThat(b.format()).isEqualTo(EventCodec.Format.JSON);
            assertThat(b.gzip()).isTrue();
        });
        assertThat(sealed.get(1).path().getFileName().toString()).matches("\\d{13}-\\d+\\.json\\.gz\\.batch");

        List<Spool.Batch> again = new Spool(dir, 1 << 20).pending();
        assertThat(again).extracting(Spool.Batch::keyPattern).containsExactlyInAnyOrder(URGENT, null, odd);
        assertThat(again).extracting(Spool.Batch::path)
                .containsExactlyInAnyOrderElementsOf(sealed.stream().map(Spool.Batch::path).toList());
    }

    @Test
    void oneBatchSealedOnItsOwnKeepsItsPatternToo() throws Exception {
        Spool spool = new Spool(dir, 1 << 20);
        Path open = spool.open(URGENT);
        Files.writeString(open, "x\n");
        Spool.Batch b = spool.seal(open, EventCodec.Format.RAW, false);
        assertThat(b.keyPattern()).isEqualTo(URGENT);
        assertThat(b.format()).isEqualTo(EventCodec.Format.RAW);
        assertThat(b.gzip()).isFalse();
    }

    @Test
    void namesOfEarlierReleasesAreBatchesOfTheConfiguredPattern() throws Exception {
        for (String n : List.of("1795525325883-1.raw.batch", "1795525325884-2.json.gz.batch",
                "1795525325885-3.raw.gz.batch")) {
            Files.writeString(dir.resolve(n), "x\n");
        }
        List<Spool.Batch> pending = new Spool(dir, 1 << 20).pending();
        assertThat(pending).extracting(Spool.Batch::keyPattern).containsOnlyNulls().hasSize(3);
        assertThat(pending).extracting(Spool.Batch::format)
                .containsExactly(EventCodec.Format.RAW, EventCodec.Format.JSON, EventCodec.Format.RAW);
        assertThat(pending).extracting(Spool.Batch::gzip).containsExactly(false, true, true);
    }

    @Test
    void aDamagedPatternSegmentIsAnErrorNamingTheFile() throws Exception {
        Files.writeString(dir.resolve("1795525325883-1.k@@@.raw.batch"), "x\n");
        Spool spool = new Spool(dir, 1 << 20);
        assertThatThrownBy(spool::pending).isInstanceOf(IOException.class)
                .hasMessageContaining("1795525325883-1.k@@@.raw.batch").hasMessageContaining("base64url");
    }

    @Test
    void aPatternTooLongForAFileNameIsRefusedAtOpen() throws Exception {
        Spool spool = new Spool(dir, 1 << 20);
        String huge = "x".repeat(300) + "/{seq}";
        assertThatThrownBy(() -> spool.open(huge)).isInstanceOf(IOException.class).hasMessageContaining("too long")
                .hasMessageContaining(huge);
        assertThat(dir).isEmptyDirectory();
    }
}
