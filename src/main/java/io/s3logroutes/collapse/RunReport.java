package io.s3logroutes.collapse;

import java.util.List;

/** What one collapse run did: one summary line per period and group, and how many of the groups failed. */
public final class RunReport {

    private final List<String> lines;
    private final long failed;

    public RunReport(List<String> lines, long failed) {
        this.lines = List.copyOf(lines);
        this.failed = failed;
    }

    public List<String> getLines() {
        return lines;
    }

    public long getFailed() {
        return failed;
    }
}
