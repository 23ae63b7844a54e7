package io.s3logroutes.syslog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits a syslog TCP stream into chunks of {@link SyslogFrame}s, detecting the framing of each frame (RFC 6587): a frame
 * that starts with a digit {@code 1-9} followed by digits and a space is octet-counted ({@code MSG-LEN SP MSG},
 * RFC 5425/6587); any other frame is newline-delimited (non-transparent framing; a trailing {@code \r} is removed).
 * Line ends and NUL bytes between frames are skipped.
 *
 * <p>A frame longer than {@code maxFrameBytes} is counted, handed on with an error and the first
 * {@code maxFrameBytes} bytes that arrived, and the connection is closed. When the client disconnects inside a frame,
 * what arrived is handed on (with an error for an octet-counted frame, which is known to be incomplete). One instance
 * per connection ({@link SyslogFrameDecoderFactory}).
 *
 * <p>Each message handed on is a {@code List<SyslogFrame>}: the complete frames of what one read brought (at most
 * {@link #MAX_CHUNK} of them), so that the route runs once per read, not once per frame; a partial frame waits for
 * the next read.
 */
public final class SyslogFrameDecoder extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(SyslogFrameDecoder.class);
    /** MSG-LEN has at most this many digits (a larger count is over any frame limit anyway). */
    private static final int MAX_COUNT_DIGITS = 10;
    private static final long NEED_MORE = -2;
    /** Most frames in one chunk; the rest of a read follows in the next chunk. */
    static final int MAX_CHUNK = 1024;

    private final int maxFrameBytes;
    private final SyslogStats stats;
    private boolean rejected;

    public SyslogFrameDecoder(int maxFrameBytes, SyslogStats stats) {
        this.maxFrameBytes = maxFrameBytes;
        this.stats = stats;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        List<SyslogFrame> chunk = new ArrayList<>();
        while (in.isReadable() && !rejected && chunk.size() < MAX_CHUNK) {
            int before = in.readableBytes();
            int frames = chunk.size();
            decodeOne(ctx, in, chunk);
            if (chunk.size() == frames && in.readableBytes() == before) {
                break;
            }
        }
        if (rejected) {
            in.skipBytes(in.readableBytes());
        }
        if (!chunk.isEmpty()) {
            out.add(chunk);
        }
    }

    /** Takes the next frame, if complete, into {@code out}; only called while the stream is not rejected. */
    private void decodeOne(ChannelHandlerContext ctx, ByteBuf in, List<SyslogFrame> out) {
        skipSeparators(in);
        if (!in.isReadable()) {
            return;
        }
        int start = in.readerIndex();
        long count = octetCount(in);
        if (count == NEED_MORE) {
            return;
        }
        if (count >= 0) {
            int prefix = prefixLength(in);
            if (count > maxFrameBytes) {
                in.skipBytes(prefix);
                reject(ctx, in, out, "octet-counted frame of " + count + " bytes");
                return;
            }
            if (in.readableBytes() < prefix + count) {
                return;
            }
            in.skipBytes(prefix);
            out.add(SyslogFrame.of(read(in, (int) count)));
            return;
        }
        int lf = in.indexOf(start, in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() > maxFrameBytes) {
                reject(ctx, in, out, "line of more than " + maxFrameBytes + " bytes without a line end");
            }
            return;
        }
        int len = lf - start;
        if (len > maxFrameBytes) {
            reject(ctx, in, out, "line of " + len + " bytes");
            return;
        }
        out.add(SyslogFrame.of(line(in, len)));
        in.skipBytes(1);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable() && !rejected) {
            int before = in.readableBytes();
            int chunks = out.size();
            decode(ctx, in, out);
            if (out.size() == chunks && in.readableBytes() == before) {
                break;
            }
        }
        if (rejected || !in.isReadable()) {
            return;
        }
        out.add(List.of(last(ctx, in)));
    }

    /** The rest of a stream that ended inside a frame. */
    private SyslogFrame last(ChannelHandlerContext ctx, ByteBuf in) {
        String from = String.valueOf(ctx.channel().remoteAddress());
        long count = octetCount(in);
        if (count == NEED_MORE) {
            stats.truncated.incrementAndGet();
            String digits = new String(read(in, in.readableBytes()), StandardCharsets.US_ASCII);
            LOG.warn("Syslog TCP {}: connection closed inside the octet count '{}'", from, digits);
            return new SyslogFrame(digits.getBytes(StandardCharsets.US_ASCII),
                    "connection closed inside an octet count");
        } else if (count >= 0) {
            in.skipBytes(prefixLength(in));
            int got = in.readableBytes();
            stats.truncated.incrementAndGet();
            LOG.warn("Syslog TCP {}: connection closed after {} of the {} bytes of an octet-counted frame", from, got,
                    count);
            return new SyslogFrame(read(in, got), "connection closed after " + got + " of the " + count
                    + " bytes of an octet-counted frame");
        }
        // the last line of a newline-delimited stream may come without its line end
        return SyslogFrame.of(line(in, in.readableBytes()));
    }

    /**
     * The MSG-LEN of an octet-counted frame at the reader index, {@code -1} when the frame is newline-delimited, or
     * {@link #NEED_MORE} when the digits read so far could still be an octet count.
     */
    private static long octetCount(ByteBuf in) {
        int start = in.readerIndex();
        byte first = in.getByte(start);
        if (first < '1' || first > '9') {
            return -1;
        }
        long n = 0;
        for (int i = start; i < in.writerIndex(); i++) {
            byte b = in.getByte(i);
            if (b == ' ') {
                return n;
            }
            if (b < '0' || b > '9' || i - start >= MAX_COUNT_DIGITS) {
                return -1;
            }
            n = n * 10 + (b - '0');
        }
        return NEED_MORE;
    }

    private static int prefixLength(ByteBuf in) {
        return in.indexOf(in.readerIndex(), in.writerIndex(), (byte) ' ') - in.readerIndex() + 1;
    }

    private static void skipSeparators(ByteBuf in) {
        int i = in.forEachByte(b -> b == '\n' || b == '\r' || b == 0);
        in.readerIndex(i < 0 ? in.writerIndex() : i);
    }

    private static byte[] read(ByteBuf in, int len) {
        byte[] b = new byte[len];
        in.readBytes(b);
        return b;
    }

    /** Reads {@code len} bytes and drops one trailing {@code \r}. */
    private static byte[] line(ByteBuf in, int len) {
        byte[] b = read(in, len);
        if (len > 0 && b[len - 1] == '\r') {
            return Arrays.copyOf(b, len - 1);
        }
        return b;
    }

    private void reject(ChannelHandlerContext ctx, ByteBuf in, List<SyslogFrame> out, String what) {
        rejected = true;
        stats.oversize.incrementAndGet();
        String reason = what + " exceeds s3logs.syslog.max-frame-bytes (" + maxFrameBytes
                + "); the connection was closed";
        LOG.warn("Syslog TCP {}: {}", ctx.channel().remoteAddress(), reason);
        out.add(new SyslogFrame(read(in, Math.min(in.readableBytes(), maxFrameBytes)), reason));
        in.skipBytes(in.readableBytes());
        ctx.executor().execute(ctx::close);
    }

}
