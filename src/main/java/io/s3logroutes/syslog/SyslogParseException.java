package io.s3logroutes.syslog;

/** A frame that is not valid syslog; the message is the reason, shipped as {@code SyslogParseError}. */
public final class SyslogParseException extends Exception {

    public SyslogParseException(String reason) {
        super(reason);
    }
}
