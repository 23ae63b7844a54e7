package io.s3logroutes.syslog;

import io.netty.channel.ChannelHandler;
import org.apache.camel.component.netty.DefaultChannelHandlerFactory;

/**
 * The {@code decoders} of the netty TCP endpoint: a {@link SyslogFrameDecoder} keeps the state of a partly received
 * frame, so camel-netty asks this factory for a new one for every connection.
 */
public final class SyslogFrameDecoderFactory extends DefaultChannelHandlerFactory {

    private final int maxFrameBytes;
    private final SyslogStats stats;

    public SyslogFrameDecoderFactory(int maxFrameBytes, SyslogStats stats) {
        this.maxFrameBytes = maxFrameBytes;
        this.stats = stats;
    }

    @Override
    public ChannelHandler newChannelHandler() {
        return new SyslogFrameDecoder(maxFrameBytes, stats);
    }
}
