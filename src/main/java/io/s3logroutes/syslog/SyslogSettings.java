package io.s3logroutes.syslog;

import java.time.DateTimeException;
import java.time.ZoneId;

import io.s3logroutes.config.ConfigException;
import io.s3logroutes.config.Props;

/** The {@code s3logs.syslog.*} settings. A port that is empty or 0 switches its input off. */
public record SyslogSettings(
        boolean enabled,
        String host,
        int udpPort,
        int tcpPort,
        int maxFrameBytes,
        int udpReceiveBuffer,
        ZoneId rfc3164TimeZone) {

    public static SyslogSettings from(Props p) {
        long maxFrame = p.size("s3logs.syslog.max-frame-bytes", "64KiB");
        if (maxFrame < 480 || maxFrame > (64L << 20)) {
            throw new ConfigException("s3logs.syslog.max-frame-bytes must be between 480 B and 64MiB, got " + maxFrame);
        }
        long rcv = p.size("s3logs.syslog.udp-receive-buffer", "4MiB");
        if (rcv < 1024 || rcv > Integer.MAX_VALUE) {
            throw new ConfigException("s3logs.syslog.udp-receive-buffer must be between 1KiB and 2GiB, got " + rcv);
        }
        String zone = p.string("s3logs.syslog.rfc3164-time-zone", "UTC");
        ZoneId zoneId;
        try {
            zoneId = ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new ConfigException("s3logs.syslog.rfc3164-time-zone must be a time zone such as UTC or "
                    + "Europe/Berlin, got '" + zone + "'");
        }
        return new SyslogSettings(
                p.bool("s3logs.syslog.enabled", false),
                p.string("s3logs.syslog.host", "127.0.0.1"),
                p.integer("s3logs.syslog.udp-port", 0, 0, 65535),
                p.integer("s3logs.syslog.tcp-port", 0, 0, 65535),
                (int) maxFrame,
                (int) rcv,
                zoneId);
    }

    public boolean udpListens() {
        return enabled && udpPort > 0;
    }

    public boolean tcpListens() {
        return enabled && tcpPort > 0;
    }
}
