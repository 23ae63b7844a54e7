package io.s3logroutes.fetch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class AppendFileTest {

    @TempDir
    Path dir;

    @Test
    void appendsAfterWhatTheFileHoldsAndSyncWritesTheBuffer() throws Exception {
        Path f = dir.resolve("out.log");
        Files.writeString(f, "old\n");
        try (AppendFile a = new AppendFile(f)) {
            a.stream().write("one\n".getBytes(StandardCharsets.UTF_8));
            assertThat(a.length()).isEqualTo(8);
            assertThat(Files.readString(f)).isEqualTo("old\n");
            a.sync();
            assertThat(Files.readString(f)).isEqualTo("old\none\n");
        }
    }

    @Test
    void rollbackDropsTheBufferAndCutsWhatWasWrittenSinceTheMark() throws Exception {
        Path f = dir.resolve("out.log");
        try (AppendFile a = new AppendFile(f)) {
            a.stream().write("kept\n".getBytes(StandardCharsets.UTF_8));
            a.mark();
            byte[] big = new byte[200_000];
            java.util.Arrays.fill(big, (byte) 'x');
            a.stream().write(big);
            a.stream().write('y');
            assertThat(Files.size(f)).isGreaterThan(5);
            a.rollback();
            assertThat(a.length()).isEqualTo(5);
            a.stream().write("next\n".getBytes(StandardCharsets.UTF_8));
            a.sync();
        }
        assertThat(Files.readString(f)).isEqualTo("kept\nnext\n");
    }

    @Test
    void rollbackKeepsTheBytesBeforeTheMarkThatAreStillBuffered() throws Exception {
        Path f = dir.resolve("out.log");
        try (AppendFile a = new AppendFile(f)) {
            a.stream().write("first\n".getBytes(StandardCharsets.UTF_8));
            a.mark();
            a.stream().write("dropped\n".getBytes(StandardCharsets.UTF_8));
            a.rollback();
            assertThat(a.length()).isEqualTo(6);
            a.mark();
            a.rollback();
            a.stream().write("second\n".getBytes(StandardCharsets.UTF_8));
            a.sync();
        }
        assertThat(Files.readString(f)).isEqualTo("first\nsecond\n");
    }

    @Test
    void manySmallWritesCrossingTheBufferKeepTheirOrder() throws Exception {
        Path f = dir.resolve("out.log");
        StringBuilder expected = new StringBuilder();
        try (AppendFile a = new AppendFile(f)) {
            for (int i = 0; i < 20_000; i++) {
                String line = "line " + i + "\n";
                expected.append(line);
                a.stream().write(line.getBytes(StandardCharsets.UTF_8));
            }
            a.sync();
            assertThat(a.length()).isEqualTo(expected.length());
        }
        assertThat(Files.readString(f)).isEqualTo(expected.toString());
    }
}
