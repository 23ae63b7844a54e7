package io.s3logroutes.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The ship flow's properties for a test: drop directory, done directory, spool and positions under one folder. */
public final class ShipProps {

    private ShipProps() {
    }

    /** The ship flow on, its files under {@code dir}, polling fast, no read lock, keys under {@code server}. */
    public static Map<String, String> under(Path dir, String server) {
        Map<String, String> p = new HashMap<>();
        p.put("s3logs.ship.enabled", "true");
        p.put("s3logs.ship.input-dir", dir.resolve("in").toString());
        p.put("s3logs.ship.done-dir", dir.resolve("done").toString());
        p.put("s3logs.ship.include", "*.log");
        p.put("s3logs.ship.read-lock", "none");
        p.put("s3logs.ship.poll-interval", "100ms");
        p.put("s3logs.ship.spool-dir", dir.resolve("spool").toString());
        p.put("s3logs.ship.file-state-file", dir.resolve("files.json").toString());
        p.put("s3logs.ship.tail-state-file", dir.resolve("tail.json").toString());
        p.put("s3logs.ship.server", server);
        p.put("s3logs.quickstart.report-interval", "1h");
        return p;
    }

    /** Batches sealed within 300 ms and failed uploads retried after 200 ms to 1 s: for tests of outages. */
    public static Map<String, String> quick() {
        Map<String, String> p = new HashMap<>();
        p.put("s3logs.ship.batch.max-age", "300ms");
        p.put("s3logs.ship.flush-check-interval", "100ms");
        p.put("s3logs.ship.retry-initial-delay", "200ms");
        p.put("s3logs.ship.retry-max-delay", "1s");
        return p;
    }
}
