package io.s3logroutes.syslog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.s3logroutes.event.LogEvent;

/**
 * Turns a received frame into a {@link LogEvent} with NXLog's field names. {@code raw_event} is the frame as
 * received; the frame is decoded as UTF-8 (invalid sequences become U+FFFD in the parsed fields, and the json format
 * keeps the exact bytes in {@code raw_event_b64}). A frame that is not valid syslog keeps only the receipt fields and
 * {@code SyslogParseError}.
 */
public final class SyslogEvents {

    public static final String SOURCE_MODULE_TYPE = "syslog";
    public static final String MESSAGE_SOURCE_ADDRESS = "MessageSourceAddress";
    public static final String SYSLOG_FACILITY = "SyslogFacility";
    public static final String SYSLOG_FACILITY_VALUE = "SyslogFacilityValue";
    public static final String SYSLOG_SEVERITY = "SyslogSeverity";
    public static final String SYSLOG_SEVERITY_VALUE = "SyslogSeverityValue";
    public static final String EVENT_TIME = "EventTime";
    public static final String SOURCE_NAME = "SourceName";
    public static final String PROCESS_ID = "ProcessID";
    public static final String MESSAGE_ID = "MessageID";
    public static final String STRUCTURED_DATA = "StructuredData";
    public static final String MESSAGE = "Message";
    public static final String SYSLOG_PARSE_ERROR = "SyslogParseError";

    private final SyslogParser parser;
    private final SyslogStats stats;

    public SyslogEvents(SyslogParser parser, SyslogStats stats) {
        this.parser = parser;
        this.stats = stats;
    }

    /** @param sender the sender's IP address */
    public LogEvent event(SyslogFrame frame, String sender, String moduleName, Instant received) {
        return event(frame, sender, moduleName, received, received.toString());
    }

    /** @param receivedText {@code received} as text (the frames of one read share it) */
    public LogEvent event(SyslogFrame frame, String sender, String moduleName, Instant received,
                          String receivedText) {
        LinkedHashMap<String, Object> f = new LinkedHashMap<>();
        f.put(LogEvent.EVENT_RECEIVED_TIME, receivedText);
        f.put(LogEvent.SOURCE_MODULE_NAME, moduleName);
        f.put(LogEvent.SOURCE_MODULE_TYPE, SOURCE_MODULE_TYPE);
        f.put(MESSAGE_SOURCE_ADDRESS, sender);
        stats.received.incrementAndGet();
        if (frame.error() != null) {
            f.put(SYSLOG_PARSE_ERROR, frame.error());
            stats.parseErrors.incrementAndGet();
            return LogEvent.ofOwned(frame.bytes(), f);
        }
        try {
            SyslogMessage m = parser.parse(new String(frame.bytes(), StandardCharsets.UTF_8), received);
            f.put(SYSLOG_FACILITY, m.facilityName());
            f.put(SYSLOG_FACILITY_VALUE, m.facility());
            f.put(SYSLOG_SEVERITY, m.severityName());
            f.put(SYSLOG_SEVERITY_VALUE, m.severity());
            putIfSet(f, EVENT_TIME, m.eventTime() == null ? null : m.eventTime().toString());
            putIfSet(f, LogEvent.HOSTNAME, m.hostname());
            putIfSet(f, SOURCE_NAME, m.appName());
            putIfSet(f, PROCESS_ID, m.procId());
            putIfSet(f, MESSAGE_ID, m.msgId());
            putIfSet(f, STRUCTURED_DATA, m.structuredData());
            putIfSet(f, MESSAGE, m.message());
        } catch (SyslogParseException e) {
            f.put(SYSLOG_PARSE_ERROR, e.getMessage());
            stats.parseErrors.incrementAndGet();
        }
        return LogEvent.ofOwned(frame.bytes(), f);
    }

    private static void putIfSet(Map<String, Object> f, String key, Object value) {
        if (value != null) {
            f.put(key, value);
        }
    }
}
