package io.s3logroutes.testing;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The fetch flow's properties for a test: output, checkpoint and failed file under one folder. */
public final class FetchProps {

    private FetchProps() {
    }

    /**
     * The fetch flow on for the keys under {@code prefix}, polling fast (first poll after 10 ms, then every 200 ms),
     * writing {@code dir/out.log} with its checkpoint {@code dir/lastkey.log} and failed file {@code dir/failed.log};
     * the quick start's report off.
     */
    public static Map<String, String> under(Path dir, String prefix) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("s3logs.fetch.enabled", "true");
        p.put("s3logs.fetch.prefix", prefix);
        p.put("s3logs.fetch.initial-delay", "10ms");
        p.put("s3logs.fetch.poll-interval", "200ms");
        p.put("s3logs.fetch.output-file", dir.resolve("out.log").toString());
        p.put("s3logs.fetch.checkpoint-file", dir.resolve("lastkey.log").toString());
        p.put("s3logs.fetch.failed-file", dir.resolve("failed.log").toString());
        p.put("s3logs.quickstart.report-interval", "1h");
        return p;
    }

    /** {@link #under} with the S3 connection of {@code s3} to {@code bucket}. */
    public static Map<String, String> under(TestS3 s3, String bucket, Path dir, String prefix) {
        Map<String, String> p = new LinkedHashMap<>(s3.appProperties(bucket));
        p.putAll(under(dir, prefix));
        return p;
    }
}
