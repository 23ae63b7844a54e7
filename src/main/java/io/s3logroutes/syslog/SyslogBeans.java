package io.s3logroutes.syslog;

import java.time.Clock;

import io.s3logroutes.config.ConfigException;
import io.s3logroutes.config.Props;
import io.s3logroutes.ship.ShipPipeline;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the steps of {@code routes/ship.camel.yaml}: {@code syslogUdp}, {@code syslogTcp} and the TCP
 * frame decoder {@code syslogFrameDecoder}. Both inputs feed the ship flow's event stage, so
 * {@code s3logs.syslog.enabled=true} requires {@code s3logs.ship.enabled=true}, which runs the pipeline's flush and
 * upload routes.
 *
 * <p>It also sets the values the routes need that are derived from the keys: {@code s3logs.syslog.udp-listen} and
 * {@code s3logs.syslog.tcp-listen} (the flow is enabled and the port is set) and
 * {@code s3logs.syslog.udp-receive-buffer-bytes} (the size in bytes, for netty).
 */
public final class SyslogBeans {

    private static final Logger LOG = LoggerFactory.getLogger(SyslogBeans.class);

    private SyslogBeans() {
    }

    /** @param pipeline the ship pipeline, whose spool the UDP input checks before it takes a datagram */
    public static void register(CamelContext context, Props props, ShipPipeline pipeline) throws Exception {
        SyslogSettings s = SyslogSettings.from(props);
        if (s.enabled() && !props.bool("s3logs.ship.enabled", false)) {
            throw new ConfigException("s3logs.syslog.enabled=true requires s3logs.ship.enabled=true: syslog events "
                    + "are batched and uploaded by the ship pipeline");
        }
        PropertiesComponent pc = context.getPropertiesComponent();
        pc.addOverrideProperty("s3logs.syslog.udp-listen", Boolean.toString(s.udpListens()));
        pc.addOverrideProperty("s3logs.syslog.tcp-listen", Boolean.toString(s.tcpListens()));
        pc.addOverrideProperty("s3logs.syslog.udp-receive-buffer-bytes", Integer.toString(s.udpReceiveBuffer()));

        Clock clock = Clock.systemUTC();
        SyslogStats stats = new SyslogStats();
        SyslogEvents events = new SyslogEvents(new SyslogParser(s.rfc3164TimeZone()), stats);
        SyslogInput udp = new SyslogInput(pipeline, events, stats, "ship-syslog-udp", true, clock);
        SyslogInput tcp = new SyslogInput(pipeline, events, stats, "ship-syslog-tcp", false, clock);
        context.getRegistry().bind("syslogStats", stats);
        context.getRegistry().bind("syslogUdp", new SyslogReceiveProcessor(udp));
        context.getRegistry().bind("syslogTcp", new SyslogReceiveProcessor(tcp));
        context.getRegistry().bind("syslogFrameDecoder", new SyslogFrameDecoderFactory(s.maxFrameBytes(), stats));
        if (s.enabled()) {
            LOG.info("Syslog: UDP {}, TCP {} (max frame {} bytes)",
                    s.udpListens() ? s.host() + ":" + s.udpPort() : "off",
                    s.tcpListens() ? s.host() + ":" + s.tcpPort() : "off", s.maxFrameBytes());
        }
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                udp.close();
                tcp.close();
                if (s.enabled()) {
                    LOG.info("Syslog inputs stopped: {}", stats);
                }
            }
        }, true, true);
    }
}
