package io.s3logroutes.ship;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LineSplitterTest {

    record Line(String text, int part, boolean continued, long end) {
    }

    static List<Line> split(String s, int max) throws IOException {
        List<Line> out = new ArrayList<>();
        LineSplitter.split(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)), max,
                (l, p, c, e) -> out.add(new Line(new String(l, StandardCharsets.ISO_8859_1), p, c, e)));
        return out;
    }

    @Test
    void lfAndCrlfEndLinesAndTheEndIsNotPartOfTheLine() throws IOException {
        assertThat(split("a\r\nbb\nccc", 100)).containsExactly(
                new Line("a", 1, false, 3), new Line("bb", 1, false, 6), new Line("ccc", 1, false, 9));
    }

    @Test
    void emptyLinesAreEvents() throws IOException {
        assertThat(split("\n\nx\n", 100)).extracting(Line::text).containsExactly("", "", "x");
    }

    @Test
    void emptyInputHasNoLines() throws IOException {
        assertThat(split("", 100)).isEmpty();
    }

    @Test
    void longLinesComeOutInFlaggedParts() throws IOException {
        assertThat(split("abcdefghij\nxy\n", 4)).containsExactly(
                new Line("abcd", 1, true, 4), new Line("efgh", 2, true, 8), new Line("ij", 3, false, 11),
                new Line("xy", 1, false, 14));
    }

    @Test
    void aLineOfExactlyTheMaximumIsNotSplit() throws IOException {
        assertThat(split("abcd\nabcdefgh\n", 4)).containsExactly(
                new Line("abcd", 1, false, 5), new Line("abcd", 1, true, 9), new Line("efgh", 2, false, 14));
    }

    @Test
    void crlfAcrossASplitIsStillALineEnd() throws IOException {
        assertThat(split("abc\r\nz\n", 4)).extracting(Line::text).containsExactly("abc", "z");
    }

    @Test
    void bytesAreNotDecoded() throws IOException {
        byte[] bad = {'o', 'k', (byte) 0xC3, (byte) 0x28, '\n'};
        List<byte[]> out = new ArrayList<>();
        LineSplitter.split(new ByteArrayInputStream(bad), 100, (l, p, c, e) -> out.add(l));
        assertThat(out.get(0)).containsExactly('o', 'k', (byte) 0xC3, (byte) 0x28);
    }

    @Test
    void feedingInPiecesKeepsAPartialLineUntilItsEnd() throws IOException {
        LineSplitter s = new LineSplitter(100, 1000);
        List<Line> out = new ArrayList<>();
        LineSplitter.Sink sink = (l, p, c, e) -> out.add(new Line(new String(l, StandardCharsets.US_ASCII), p, c, e));
        byte[] a = "one\ntw".getBytes(StandardCharsets.US_ASCII);
        s.feed(a, 0, a.length, sink);
        assertThat(out).containsExactly(new Line("one", 1, false, 1004));
        assertThat(s.pending()).isEqualTo(2);
        byte[] b = "o\n".getBytes(StandardCharsets.US_ASCII);
        s.feed(b, 0, b.length, sink);
        assertThat(out).endsWith(new Line("two", 1, false, 1008));
    }

    @Test
    void anyChunkingGivesTheSameLinesPartsAndOffsetsAsOneByteAtATime() throws IOException {
        java.util.Random random = new java.util.Random(20261122);
        byte[] alphabet = {'a', 'b', '\r', '\n', '\n', (byte) 0xC3};
        for (int round = 0; round < 200; round++) {
            byte[] data = new byte[random.nextInt(400)];
            for (int i = 0; i < data.length; i++) {
                data[i] = random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) ('c' + random.nextInt(20));
            }
            int max = 1 + random.nextInt(40);
            List<Line> oneByOne = lines(data, max, 1);
            List<Line> chunked = lines(data, max, 1 + random.nextInt(200));
            assertThat(chunked).as("round %d, max %d", round, max).isEqualTo(oneByOne);
        }
    }

    private static List<Line> lines(byte[] data, int max, int chunk) throws IOException {
        LineSplitter s = new LineSplitter(max, 7);
        List<Line> out = new ArrayList<>();
        LineSplitter.Sink sink = (l, p, c, e) -> out.add(new Line(new String(l, StandardCharsets.ISO_8859_1), p, c, e));
        for (int i = 0; i < data.length; i += chunk) {
            s.feed(data, i, Math.min(data.length, i + chunk), sink);
        }
        s.finish(sink);
        return out;
    }
}
