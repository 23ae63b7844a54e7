package io.s3logroutes.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checkpoint files as the released fetch wrote them ({@code src/test/resources/io/s3logroutes/fetch/lastkey-*.log}):
 * {@code key TAB output length TAB output file}, a key alone (edited by hand, here with a CRLF line end), and the
 * line written before the first key. They are read as they are, and written back byte for byte.
 */
class CheckpointFixtureTest {

    @TempDir
    Path dir;

    private Checkpoint read(String fixture) throws IOException {
        Path f = dir.resolve(fixture);
        Files.write(f, bytes(fixture));
        return new CheckpointStore(f).read();
    }

    private static byte[] bytes(String fixture) throws IOException {
        try (InputStream in = CheckpointFixtureTest.class.getResourceAsStream(fixture)) {
            assertThat(in).as(fixture).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void theReleasedFormatIsReadAndWrittenBackUnchanged() throws Exception {
        Checkpoint cp = read("lastkey-release.log");
        assertThat(cp.key()).contains("SERVER01/2018-05-17/13.45.07-000003.gz");
        assertThat(cp.length()).isEqualTo(1234);
        assertThat(cp.file()).contains(Path.of("/var/lib/s3-log-routes/data/out/SERVER01-2018-05-17.log"));
        Path again = dir.resolve("again.log");
        new CheckpointStore(again).write(cp);
        assertThat(Files.readAllBytes(again)).isEqualTo(bytes("lastkey-release.log"));
    }

    @Test
    void aKeyAloneResumesAfterItWithNoOutputToCut() throws Exception {
        Checkpoint cp = read("lastkey-hand-edited.log");
        assertThat(cp.key()).contains("SERVER01/2018-05-17/13.45.07-10");
        assertThat(cp.file()).isEmpty();
        assertThat(cp.length()).isEqualTo(-1);
    }

    @Test
    void theLineBeforeTheFirstKeyHasNoKeyAndALength() throws Exception {
        Checkpoint cp = read("lastkey-before-first-key.log");
        assertThat(cp.key()).isEqualTo(Optional.empty());
        assertThat(cp.file()).contains(Path.of("data/out/fetched.log"));
        assertThat(cp.length()).isZero();
        assertThat(cp.format()).isEqualTo(new String(bytes("lastkey-before-first-key.log"), StandardCharsets.UTF_8));
    }
}
