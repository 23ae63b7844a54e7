package io.s3logroutes.fetch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointStoreTest {

    @TempDir
    Path dir;

    @Test
    void missingFileMeansTheBeginning() throws Exception {
        assertThat(new CheckpointStore(dir.resolve("lastkey.log")).read()).isEqualTo(Checkpoint.START);
    }

    @Test
    void oneHumanReadableLineRoundTrips() throws Exception {
        CheckpointStore store = new CheckpointStore(dir.resolve("sub/lastkey.log"));
        Checkpoint cp = Checkpoint.START.withKey("SERVER01/2018-05-17/13.45.07-10", Path.of("data/out/x.log"), 1234);
        store.write(cp);
        assertThat(Files.readString(store.file())).isEqualTo("SERVER01/2018-05-17/13.45.07-10\t1234\tdata/out/x.log\n");
        assertThat(store.read()).isEqualTo(cp);
        assertThat(Files.list(store.file().getParent())).containsExactly(store.file());
    }

    @Test
    void aHandEditedKeyAloneResumesAfterThatKey() throws Exception {
        Path f = dir.resolve("lastkey.log");
        Files.writeString(f, "SERVER01/2018-05-17/13.45.07-000003\n");
        Checkpoint cp = new CheckpointStore(f).read();
        assertThat(cp.key()).contains("SERVER01/2018-05-17/13.45.07-000003");
        assertThat(cp.file()).isEmpty();
        assertThat(cp.length()).isEqualTo(-1);
    }

    @Test
    void aFileBeforeTheFirstKeyHasAnEmptyKey() {
        Checkpoint cp = Checkpoint.START.withFile(Path.of("o.log"), 0);
        assertThat(cp.format()).isEqualTo("\t0\to.log\n");
        assertThat(Checkpoint.parse(cp.format())).isEqualTo(cp);
        assertThat(Checkpoint.parse(cp.format()).key()).isEqualTo(Optional.empty());
    }

    @Test
    void aMalformedLengthNamesTheFile() throws Exception {
        Path f = dir.resolve("lastkey.log");
        Files.writeString(f, "k\tlots\to.log\n");
        assertThatThrownBy(() -> new CheckpointStore(f).read()).hasMessageContaining(f.toString())
                .hasMessageContaining("lots");
    }
}
