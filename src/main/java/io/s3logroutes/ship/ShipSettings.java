package io.s3logroutes.ship;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import io.s3logroutes.config.ConfigException;
import io.s3logroutes.config.Props;
import io.s3logroutes.event.EventCodec;
import io.s3logroutes.keys.KeyPattern;
import io.s3logroutes.keys.KeyTimes;

/** The {@code s3logs.ship.*} settings shared by every input of the ship pipeline. */
public record ShipSettings(
        EventCodec.Format format,
        boolean gzip,
        boolean newline,
        int gzipLevel,
        String gzipSuffix,
        int maxEvents,
        long maxBytes,
        Duration maxAge,
        int concurrency,
        String server,
        String hostname,
        KeyPattern keyPattern,
        Duration maxUploadDelay,
        Path spoolDir,
        long spoolMaxBytes,
        String storageClass,
        int maxLineBytes,
        List<String> tail,
        boolean readFromLast,
        boolean savePos,
        Path tailStateFile,
        Path fileStateFile,
        Path doneDir,
        boolean deleteShipped,
        Duration syncInterval) {

    public static ShipSettings from(Props p) {
        String hostname = localHostName();
        String server = p.string("s3logs.ship.server", hostname);
        KeyPattern.checkVariable("s3logs.ship.server", server);
        long maxLine = p.size("s3logs.ship.max-line-bytes", "1MiB");
        if (maxLine < 16 || maxLine > (64L << 20)) {
            throw new ConfigException("s3logs.ship.max-line-bytes must be between 16 B and 64MiB, got " + maxLine);
        }
        long maxBytes = p.size("s3logs.ship.batch.max-bytes", "8MiB");
        if (maxBytes < 1024) {
            throw new ConfigException("s3logs.ship.batch.max-bytes must be at least 1KiB, got " + maxBytes);
        }
        EventCodec.Format format = p.choice("s3logs.ship.format", "raw", EventCodec.Format.class);
        int maxEvents = p.integer("s3logs.ship.batch.max-events", 100_000, 1, Integer.MAX_VALUE);
        if (format == EventCodec.Format.PICKLE && maxEvents != 1) {
            throw new ConfigException("s3logs.ship.format=pickle writes one event per object: set"
                    + " s3logs.ship.batch.max-events=1 (it is " + maxEvents + ")");
        }
        boolean newline = p.bool("s3logs.ship.newline", true);
        if (!newline && maxEvents != 1) {
            throw new ConfigException("s3logs.ship.newline=false writes events without a line end, so that an object"
                    + " can hold only one: it needs s3logs.ship.batch.max-events=1, got " + maxEvents);
        }
        ZoneId zone = KeyTimes.zone("s3logs.ship.key-time-zone", p.string("s3logs.ship.key-time-zone", "UTC"));
        if (!p.bool("s3logs.s3.conditional-writes", true) && KeyTimes.repeatsTimesAfter(zone, Instant.now())) {
            throw new ConfigException("s3logs.ship.key-time-zone " + zone + " repeats an hour of key times when the"
                    + " clocks go back, and without s3logs.s3.conditional-writes the keys of that hour would overwrite"
                    + " the objects written an hour before: use UTC, a fixed offset such as +01:00, or conditional"
                    + " writes");
        }
        return new ShipSettings(
                format,
                p.bool("s3logs.ship.gzip", true),
                newline,
                p.integer("s3logs.ship.gzip-level", 3, 1, 9),
                p.string("s3logs.ship.gzip-suffix", ".gz"),
                maxEvents,
                maxBytes,
                p.duration("s3logs.ship.batch.max-age", "10s"),
                p.integer("s3logs.ship.concurrency", 16, 1, 256),
                server,
                hostname,
                KeyPattern.parse("s3logs.ship.key-pattern", p.string("s3logs.ship.key-pattern", KeyPattern.DEFAULT),
                        zone, p.integer("s3logs.ship.seq-digits", KeyPattern.DEFAULT_SEQ_DIGITS, 1,
                                KeyPattern.MAX_SEQ_DIGITS)),
                p.duration("s3logs.ship.max-upload-delay", "5m"),
                Path.of(p.string("s3logs.ship.spool-dir", "data/spool")),
                p.size("s3logs.ship.spool-max-bytes", "1GiB"),
                p.string("s3logs.ship.storage-class", ""),
                (int) maxLine,
                p.list("s3logs.ship.tail"),
                p.bool("s3logs.ship.read-from-last", true),
                p.bool("s3logs.ship.save-pos", true),
                Path.of(p.string("s3logs.ship.tail-state-file", "data/tail-positions.json")),
                Path.of(p.string("s3logs.ship.file-state-file", "data/file-positions.json")),
                Path.of(p.string("s3logs.ship.done-dir", "data/done")),
                p.bool("s3logs.ship.delete-shipped", false),
                p.duration("s3logs.ship.sync-interval", "100ms"));
    }

    static String localHostName() {
        String env = System.getenv("HOSTNAME");
        try {
            String h = InetAddress.getLocalHost().getHostName();
            return h.isBlank() ? (env == null ? "localhost" : env) : h;
        } catch (UnknownHostException e) {
            return env == null || env.isBlank() ? "localhost" : env;
        }
    }
}
