package io.s3logroutes.syslog;

import java.util.ArrayList;
import java.util.List;

import io.s3logroutes.event.EventStage;
import io.s3logroutes.event.LogEvent;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.netty.NettyConstants;

/**
 * Steps {@code syslogUdp} and {@code syslogTcp}: decode the frames of a netty exchange (a UDP datagram as bytes, or
 * the {@code List<SyslogFrame>} of one TCP read from {@link SyslogFrameDecoder}) into the chunk of the event stage:
 * a list of their events (none for a UDP datagram dropped while the spool is full), with the headers
 * {@code S3LogsInput} and {@code S3LogsSource} (the sender's address).
 */
public final class SyslogReceiveProcessor implements Processor {

    private final SyslogInput input;

    public SyslogReceiveProcessor(SyslogInput input) {
        this.input = input;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Object body = exchange.getIn().getBody();
        String sender = address(exchange.getIn().getHeader(NettyConstants.NETTY_REMOTE_ADDRESS));
        List<LogEvent> chunk;
        if (body instanceof List<?> frames) {
            chunk = input.receive(frames(frames), sender);
        } else {
            SyslogFrame frame = body instanceof SyslogFrame f ? f : SyslogFrame.of(datagram(exchange.getIn()
                    .getMandatoryBody(byte[].class)));
            LogEvent event = input.receive(frame, sender);
            chunk = new ArrayList<>(1);
            if (event != null) {
                chunk.add(event);
            }
        }
        exchange.getMessage().setBody(chunk);
        exchange.getMessage().setHeader(EventStage.INPUT, input.moduleName());
        exchange.getMessage().setHeader(EventStage.SOURCE, sender);
    }

    @SuppressWarnings("unchecked")
    private static List<SyslogFrame> frames(List<?> body) {
        for (Object o : body) {
            if (!(o instanceof SyslogFrame)) {
                throw new IllegalArgumentException("a syslog chunk holds a " + o.getClass().getName()
                        + ", not a SyslogFrame");
            }
        }
        return (List<SyslogFrame>) body;
    }

    /** A datagram without the line end or NUL that some senders append. */
    static byte[] datagram(byte[] b) {
        int n = b.length;
        if (n > 0 && (b[n - 1] == '\n' || b[n - 1] == 0)) {
            n--;
            if (n > 0 && b[n - 1] == '\r') {
                n--;
            }
        }
        return n == b.length ? b : java.util.Arrays.copyOf(b, n);
    }

    static String address(Object remote) {
        if (remote instanceof InetSocketAddress a) {
            return a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        }
        return remote instanceof SocketAddress a ? a.toString() : "unknown";
    }
}
