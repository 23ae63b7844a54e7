package io.s3logroutes.quickstart;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.s3logroutes.config.Props;

/** What the quick start prints: the objects that appeared or changed since the last report. No I/O. */
public final class BucketReport {

    public record Entry(String key, long size) {
    }

    private final Map<String, Long> seen = new HashMap<>();

    /** @return one line per object that is new or changed size since the previous call, plus a total line */
    public List<String> update(String bucket, List<Entry> listing) {
        List<String> lines = new ArrayList<>();
        long total = 0;
        for (Entry e : listing) {
            total += e.size();
            Long before = seen.put(e.key(), e.size());
            if (before == null || before != e.size()) {
                lines.add("Quick start: object s3://" + bucket + "/" + e.key() + " (" + e.size() + " bytes)");
            }
        }
        seen.keySet().retainAll(listing.stream().map(Entry::key).toList());
        if (!lines.isEmpty()) {
            lines.add("Quick start: bucket " + bucket + " holds " + listing.size() + " objects, " + Props.formatSize(total));
        }
        return lines;
    }
}
