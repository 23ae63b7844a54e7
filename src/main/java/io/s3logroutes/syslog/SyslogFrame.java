package io.s3logroutes.syslog;

/**
 * One frame as received: a UDP datagram or a TCP frame without its framing (octet count, line end).
 *
 * @param error why the frame is incomplete (cut by a disconnect, over the size limit), or null
 */
public record SyslogFrame(byte[] bytes, String error) {

    public static SyslogFrame of(byte[] bytes) {
        return new SyslogFrame(bytes, null);
    }
}
