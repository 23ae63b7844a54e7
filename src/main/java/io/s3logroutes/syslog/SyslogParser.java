package io.s3logroutes.syslog;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Parses one syslog frame (already decoded as UTF-8) as RFC 5424 ({@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID
 * MSGID STRUCTURED-DATA [MSG]}) or RFC 3164 ({@code <PRI>Mmm dd hh:mm:ss HOSTNAME TAG[PID]: MSG}).
 *
 * <p>RFC 5424 is parsed strictly: a malformed header or STRUCTURED-DATA is an error. RFC 3164 is parsed the way
 * relays do (RFC 3164 section 4.3): the timestamp and hostname may be missing, and a tag is recognised only when it
 * is followed by {@code :} or {@code [pid]}. Its timestamp has no year and no zone: the year is taken from the time of
 * receipt (the previous year when that would put the message more than a day in the future) and the zone is the
 * configured one. Only a missing or invalid {@code <PRI>} makes an RFC 3164 frame invalid.
 *
 * <p>Not camel-syslog's {@code SyslogConverter}: it decodes with the platform charset, does not split the RFC 3164
 * tag into program and PID, and loses RFC 5424 structured data that holds an escaped {@code ]}.
 */
public final class SyslogParser {

    private static final int MAX_TAG = 48;
    private static final DateTimeFormatter BSD_WITH_YEAR = DateTimeFormatter.ofPattern("yyyy MMM ppd HH:mm:ss",
            Locale.ROOT);

    private final ZoneId rfc3164Zone;

    public SyslogParser(ZoneId rfc3164Zone) {
        this.rfc3164Zone = rfc3164Zone;
    }

    public SyslogMessage parse(String s, Instant received) throws SyslogParseException {
        if (s.isEmpty()) {
            throw new SyslogParseException("empty frame");
        }
        if (s.charAt(0) != '<') {
            throw new SyslogParseException("no <PRI> at the start of the frame");
        }
        int close = s.indexOf('>');
        if (close < 2 || close > 4) {
            throw new SyslogParseException("invalid <PRI>: expected 1 to 3 digits between < and >");
        }
        int pri = 0;
        for (int i = 1; i < close; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new SyslogParseException("invalid <PRI>: '" + s.substring(0, close + 1) + "' is not a number");
            }
            pri = pri * 10 + (c - '0');
        }
        if (pri > 191 || (close > 2 && s.charAt(1) == '0')) {
            throw new SyslogParseException("invalid <PRI>: " + s.substring(0, close + 1)
                    + " (0 to 191 without leading zeros)");
        }
        int p = close + 1;
        if (s.startsWith("1 ", p)) {
            return rfc5424(s, p + 2, pri);
        }
        return rfc3164(s, p, pri, received);
    }

    private SyslogMessage rfc5424(String s, int p, int pri) throws SyslogParseException {
        Cursor c = new Cursor(s, p);
        String ts = c.token("TIMESTAMP", 64);
        String host = c.token("HOSTNAME", 255);
        String app = c.token("APP-NAME", 48);
        String proc = c.token("PROCID", 128);
        String msgId = c.token("MSGID", 32);
        Instant time = null;
        if (!ts.equals("-")) {
            try {
                time = OffsetDateTime.parse(ts, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                throw new SyslogParseException("invalid RFC 5424 TIMESTAMP '" + ts + "'");
            }
        }
        String sd = c.structuredData();
        String msg = null;
        if (c.pos < s.length()) {
            if (s.charAt(c.pos) != ' ') {
                throw new SyslogParseException("RFC 5424: expected a space after STRUCTURED-DATA at offset " + c.pos);
            }
            msg = s.substring(c.pos + 1);
            if (msg.startsWith("\uFEFF")) {
                msg = msg.substring(1);
            }
        }
        return new SyslogMessage("rfc5424", pri >> 3, pri & 7, time, nil(host), nil(app), nil(proc), nil(msgId),
                sd.equals("-") ? null : sd, msg);
    }

    private static String nil(String v) {
        return v.equals("-") ? null : v;
    }

    private SyslogMessage rfc3164(String s, int p, int pri, Instant received) {
        Instant time = null;
        String host = null;
        if (s.length() >= p + 16 && s.charAt(p + 15) == ' ') {
            try {
                time = bsdTime(s.substring(p, p + 15), received);
                p += 16;
            } catch (DateTimeException e) {
                time = null;
            }
        }
        if (time != null) {
            int sp = s.indexOf(' ', p);
            if (sp > p) {
                String word = s.substring(p, sp);
                if (!word.endsWith(":") && !word.contains("[")) {
                    host = word;
                    p = sp + 1;
                }
            }
        }
        String app = null;
        String pid = null;
        int end = p;
        while (end < s.length() && end - p <= MAX_TAG && isTagChar(s.charAt(end))) {
            end++;
        }
        if (end > p && end < s.length()) {
            char c = s.charAt(end);
            if (c == ':') {
                app = s.substring(p, end);
                p = end + 1;
            } else if (c == '[') {
                int rb = s.indexOf(']', end);
                if (rb > end && rb - end <= 20) {
                    app = s.substring(p, end);
                    pid = s.substring(end + 1, rb);
                    p = rb + 1;
                    if (p < s.length() && s.charAt(p) == ':') {
                        p++;
                    }
                }
            }
            if (app != null && p < s.length() && s.charAt(p) == ' ') {
                p++;
            }
        }
        return new SyslogMessage("rfc3164", pri >> 3, pri & 7, time, host, app, pid, null, null, s.substring(p));
    }

    private static boolean isTagChar(char c) {
        return c > ' ' && c < 127 && c != ':' && c != '[' && c != ']';
    }

    private Instant bsdTime(String text, Instant received) {
        // "Nov  2 02:43:40": the day is space-padded
        LocalDateTime local = LocalDateTime.parse(ZonedDateTime.ofInstant(received, rfc3164Zone).getYear() + " "
                + text, BSD_WITH_YEAR);
        Instant t = local.atZone(rfc3164Zone).toInstant();
        if (t.isAfter(received.plusSeconds(86_400))) {
            t = local.minusYears(1).atZone(rfc3164Zone).toInstant();
        }
        return t;
    }

    /** Reads the space-separated RFC 5424 header fields and the STRUCTURED-DATA. */
    private static final class Cursor {
        private final String s;
        private int pos;

        Cursor(String s, int pos) {
            this.s = s;
            this.pos = pos;
        }

        String token(String name, int max) throws SyslogParseException {
            int sp = s.indexOf(' ', pos);
            if (sp < 0) {
                throw new SyslogParseException("RFC 5424 header ends before " + name);
            }
            if (sp == pos) {
                throw new SyslogParseException("RFC 5424: empty " + name + " at offset " + pos);
            }
            String v = s.substring(pos, sp);
            if (v.length() > max) {
                throw new SyslogParseException("RFC 5424: " + name + " longer than " + max + " characters");
            }
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c < 33 || c > 126) {
                    throw new SyslogParseException("RFC 5424: " + name + " holds a character that is not printable"
                            + " US-ASCII at offset " + (pos + i));
                }
            }
            pos = sp + 1;
            return v;
        }

        /** NILVALUE or one or more SD-ELEMENTs, returned as sent. */
        String structuredData() throws SyslogParseException {
            int start = pos;
            if (pos >= s.length()) {
                throw new SyslogParseException("RFC 5424 header ends before STRUCTURED-DATA");
            }
            if (s.charAt(pos) == '-') {
                pos++;
                return "-";
            }
            if (s.charAt(pos) != '[') {
                throw new SyslogParseException("RFC 5424: STRUCTURED-DATA must be - or start with [ at offset " + pos);
            }
            while (pos < s.length() && s.charAt(pos) == '[') {
                pos++;
                name("SD-ID");
                while (pos < s.length() && s.charAt(pos) == ' ') {
                    pos++;
                    name("PARAM-NAME");
                    expect('=');
                    expect('"');
                    while (true) {
                        if (pos >= s.length()) {
                            throw new SyslogParseException("RFC 5424: unterminated PARAM-VALUE in STRUCTURED-DATA");
                        }
                        char c = s.charAt(pos++);
                        if (c == '\\' && pos < s.length()) {
                            pos++;
                        } else if (c == '"') {
                            break;
                        }
                    }
                }
                expect(']');
            }
            return s.substring(start, pos);
        }

        private void name(String what) throws SyslogParseException {
            int start = pos;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c < 33 || c > 126 || c == '=' || c == ' ' || c == ']' || c == '"') {
                    break;
                }
                pos++;
            }
            if (pos == start || pos - start > 32) {
                throw new SyslogParseException("RFC 5424: invalid " + what + " in STRUCTURED-DATA at offset " + start);
            }
        }

        private void expect(char c) throws SyslogParseException {
            if (pos >= s.length() || s.charAt(pos) != c) {
                throw new SyslogParseException("RFC 5424: expected '" + c + "' in STRUCTURED-DATA at offset " + pos);
            }
            pos++;
        }
    }
}
