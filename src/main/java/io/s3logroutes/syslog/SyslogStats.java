package io.s3logroutes.syslog;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of the syslog inputs, logged at shutdown and when they change state (drops). */
public final class SyslogStats {

    final AtomicLong received = new AtomicLong();
    final AtomicLong parseErrors = new AtomicLong();
    final AtomicLong oversize = new AtomicLong();
    final AtomicLong truncated = new AtomicLong();
    final AtomicLong udpDropped = new AtomicLong();

    public long received() {
        return received.get();
    }

    public long parseErrors() {
        return parseErrors.get();
    }

    public long oversize() {
        return oversize.get();
    }

    public long truncated() {
        return truncated.get();
    }

    public long udpDropped() {
        return udpDropped.get();
    }

    @Override
    public String toString() {
        return received() + " frames received, " + parseErrors() + " not valid syslog, " + oversize()
                + " oversize TCP frames, " + truncated() + " TCP frames cut by a disconnect, " + udpDropped()
                + " UDP datagrams dropped (spool full)";
    }
}
