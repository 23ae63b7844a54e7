package io.s3logroutes.syslog;

import java.time.Instant;

/**
 * A parsed syslog message. Absent parts (RFC 5424 NILVALUE {@code -}, or fields an RFC 3164 message does not have)
 * are null.
 *
 * @param protocol       {@code rfc5424} or {@code rfc3164}
 * @param structuredData the RFC 5424 STRUCTURED-DATA exactly as sent (one or more {@code [id name="value"]}
 *                       elements, escapes kept), so it can be parsed again; null when NIL
 */
public record SyslogMessage(
        String protocol,
        int facility,
        int severity,
        Instant eventTime,
        String hostname,
        String appName,
        String procId,
        String msgId,
        String structuredData,
        String message) {

    private static final String[] FACILITIES = {"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
        "uucp", "cron", "authpriv", "ftp", "ntp", "audit", "alert", "cron2", "local0", "local1", "local2", "local3",
        "local4", "local5", "local6", "local7"};
    private static final String[] SEVERITIES = {"emerg", "alert", "crit", "err", "warning", "notice", "info",
        "debug"};

    public String facilityName() {
        return FACILITIES[facility];
    }

    public String severityName() {
        return SEVERITIES[severity];
    }

    public static String facilityName(int facility) {
        return FACILITIES[facility];
    }

    public static String severityName(int severity) {
        return SEVERITIES[severity];
    }
}
