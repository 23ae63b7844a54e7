package io.s3logroutes.syslog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SyslogFrameDecoderTest {

    final SyslogStats stats = new SyslogStats();

    EmbeddedChannel channel(int max) {
        return new EmbeddedChannel(new SyslogFrameDecoderFactory(max, stats).newChannelHandler());
    }

    static void write(EmbeddedChannel ch, String s) {
        ch.writeInbound(Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** The chunks handed on, each a List of frames. */
    static List<List<SyslogFrame>> chunks(EmbeddedChannel ch) {
        List<List<SyslogFrame>> out = new ArrayList<>();
        for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
            List<?> chunk = (List<?>) o;
            assertThat(chunk).isNotEmpty().allMatch(f -> f instanceof SyslogFrame);
            out.add(chunk.stream().map(SyslogFrame.class::cast).toList());
        }
        return out;
    }

    static List<SyslogFrame> frames(EmbeddedChannel ch) {
        return chunks(ch).stream().flatMap(List::stream).toList();
    }

    @Test
    void theCompleteFramesOfOneReadAreOneChunk() {
        EmbeddedChannel ch = channel(1024);
        write(ch, "<13>one\n<13>two\n9 <13>three<13>fou");
        write(ch, "r\n");
        List<List<SyslogFrame>> chunks = chunks(ch);
        assertThat(chunks).hasSize(2);
        assertThat(texts(chunks.get(0))).containsExactly("<13>one", "<13>two", "<13>three");
        assertThat(texts(chunks.get(1))).containsExactly("<13>four");
    }

    @Test
    void aLongReadIsCutIntoChunksOfAtMostMaxChunkFrames() {
        EmbeddedChannel ch = channel(1024);
        int n = SyslogFrameDecoder.MAX_CHUNK * 2 + 5;
        write(ch, "<13>x\n".repeat(n));
        List<List<SyslogFrame>> chunks = chunks(ch);
        assertThat(chunks).extracting(List::size)
                .containsExactly(SyslogFrameDecoder.MAX_CHUNK, SyslogFrameDecoder.MAX_CHUNK, 5);
    }

    static List<String> texts(List<SyslogFrame> frames) {
        return frames.stream().map(f -> new String(f.bytes(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void mixedFramingOnOneConnectionDetectedPerFrame() {
        EmbeddedChannel ch = channel(1024);
        String a = "<13>1 - h app - - - first\nline";
        String b = "<13>Nov 22 02:33:38 vm root: second";
        String c = "<13>1 - h app - - - tröis";
        write(ch, a.getBytes(StandardCharsets.UTF_8).length + " " + a + b + "\r\n"
                + c.getBytes(StandardCharsets.UTF_8).length + " " + c + "\n\n<14>plain\n");
        List<SyslogFrame> frames = frames(ch);
        assertThat(texts(frames)).containsExactly(a, b, c, "<14>plain");
        assertThat(frames).allMatch(f -> f.error() == null);
    }

    @Test
    void framesSplitAcrossReadsAnywhere() {
        String a = "<13>1 - h app - - - one";
        String b = "<13>two";
        String stream = a.length() + " " + a + b + "\n" + a.length() + " " + a;
        for (int cut = 1; cut < stream.length(); cut++) {
            EmbeddedChannel ch = channel(1024);
            write(ch, stream.substring(0, cut));
            write(ch, stream.substring(cut));
            assertThat(texts(frames(ch))).as("cut at %d", cut).containsExactly(a, b, a);
        }
    }

    @Test
    void digitsThatAreNotAnOctetCountMakeALine() {
        EmbeddedChannel ch = channel(1024);
        write(ch, "12345abc\n12\n");
        assertThat(texts(frames(ch))).containsExactly("12345abc", "12");
    }

    @Test
    void oversizeOctetCountIsRejectedAndTheConnectionClosed() {
        EmbeddedChannel ch = channel(512);
        write(ch, "<13>ok\n600 <13>" + "x".repeat(100));
        List<SyslogFrame> frames = frames(ch);
        ch.runPendingTasks();
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0).error()).isNull();
        assertThat(frames.get(1).error()).contains("octet-counted frame of 600 bytes exceeds s3logs.syslog.max-frame-bytes (512)");
        assertThat(new String(frames.get(1).bytes(), StandardCharsets.UTF_8)).startsWith("<13>xxx");
        assertThat(stats.oversize()).isEqualTo(1);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void oversizeLineIsRejectedEvenBeforeItsLineEnd() {
        EmbeddedChannel ch = channel(512);
        write(ch, "<13>" + "y".repeat(600));
        List<SyslogFrame> frames = frames(ch);
        ch.runPendingTasks();
        assertThat(frames).hasSize(1);
        assertThat(frames.get(0).error()).contains("line of more than 512 bytes");
        assertThat(frames.get(0).bytes()).hasSize(512);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void disconnectInsideAnOctetCountedFrameShipsWhatArrivedWithAnError() {
        EmbeddedChannel ch = channel(1024);
        write(ch, "<13>a\n100 <13>1 - h app - - - cut");
        assertThat(texts(frames(ch))).containsExactly("<13>a");
        ch.finish();
        List<SyslogFrame> last = frames(ch);
        assertThat(texts(last)).containsExactly("<13>1 - h app - - - cut");
        assertThat(last.get(0).error()).isEqualTo("connection closed after 23 of the 100 bytes of an octet-counted frame");
        assertThat(stats.truncated()).isEqualTo(1);
    }

    @Test
    void lastLineWithoutLineEndIsAFrame() {
        EmbeddedChannel ch = channel(1024);
        write(ch, "<13>a\n<13>b");
        ch.finish();
        List<SyslogFrame> frames = frames(ch);
        assertThat(texts(frames)).containsExactly("<13>a", "<13>b");
        assertThat(frames).allMatch(f -> f.error() == null);
    }

    @Test
    void disconnectInsideTheOctetCount() {
        EmbeddedChannel ch = channel(1024);
        write(ch, "123");
        ch.finish();
        List<SyslogFrame> frames = frames(ch);
        assertThat(texts(frames)).containsExactly("123");
        assertThat(frames.get(0).error()).contains("inside an octet count");
    }
}
