package io.s3logroutes.syslog;

import java.time.Duration;
import java.time.Instant;

/**
 * Counts occurrences of one problem (UDP datagrams dropped, frames that are not syslog) and says when to report
 * them: at the first occurrence, then at most once per interval, and once more when the problem stops (the next
 * success after unreported occurrences), so that no occurrence goes unreported.
 */
public final class RateLimitedReport {

    private final Duration interval;
    private Instant lastReport;
    private long total;
    private long unreported;

    public RateLimitedReport(Duration interval) {
        this.interval = interval;
    }

    /** Records one occurrence; returns the text to log now, or null. */
    public synchronized String occurred(Instant now) {
        total++;
        unreported++;
        if (lastReport == null || !now.isBefore(lastReport.plus(interval))) {
            return report(now);
        }
        return null;
    }

    /** Records a success; returns the text to log when occurrences are still unreported, or null. */
    public synchronized String recovered(Instant now) {
        return unreported > 0 ? report(now) : null;
    }

    /** Unreported occurrences at shutdown, or null. */
    public synchronized String flush(Instant now) {
        return unreported > 0 ? report(now) : null;
    }

    private String report(Instant now) {
        String text = unreported + " since the last report (" + total + " in all)";
        unreported = 0;
        lastReport = now;
        return text;
    }

    public synchronized long total() {
        return total;
    }
}
