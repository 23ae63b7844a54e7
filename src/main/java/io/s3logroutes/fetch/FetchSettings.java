package io.s3logroutes.fetch;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;

import io.s3logroutes.config.Props;
import io.s3logroutes.event.EventCodec;
import io.s3logroutes.keys.KeyTimes;

/** The {@code s3logs.fetch.*} settings. */
public record FetchSettings(
        String prefix,
        Duration pollInterval,
        int maxKeys,
        OutputPath outputFile,
        EventCodec.Format outputFormat,
        ObjectReader.InputFormat inputFormat,
        Path checkpointFile,
        Duration settle,
        long maxObjectBytes,
        Path failedFile,
        OnError onError,
        int concurrency,
        long readAheadBytes,
        Duration checkpointInterval,
        ZoneId keyTimeZone) {

    /** What a bad object (corrupt gzip, undecodable JSON line, above the size cap) does to the route. */
    public enum OnError {
        /** record it in the failed file and go on with the next object */
        SKIP("skip"),
        /** record it in the failed file and stop the route before the object is checkpointed */
        STOP("stop");

        private final String text;

        OnError(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    public static final String DEFAULT_OUTPUT_FILE = "data/out/fetched.log";
    public static final String DEFAULT_CHECKPOINT_FILE = "data/lastkey.log";
    public static final String DEFAULT_FAILED_FILE = "data/fetch-failed.log";

    public static FetchSettings from(Props p) {
        String maxUploadDelay = p.string("s3logs.ship.max-upload-delay", "5m");
        ZoneId zone = KeyTimes.zone("s3logs.fetch.key-time-zone", p.string("s3logs.fetch.key-time-zone", "UTC"));
        return new FetchSettings(
                p.string("s3logs.fetch.prefix", ""),
                p.duration("s3logs.fetch.poll-interval", "10s"),
                p.integer("s3logs.fetch.max-keys", 1000, 1, 1000),
                OutputPath.parse("s3logs.fetch.output-file", p.string("s3logs.fetch.output-file", DEFAULT_OUTPUT_FILE),
                        zone),
                outputFormat(p),
                p.choice("s3logs.fetch.input-format", "auto", ObjectReader.InputFormat.class),
                Path.of(p.string("s3logs.fetch.checkpoint-file", DEFAULT_CHECKPOINT_FILE)),
                p.raw("s3logs.fetch.settle").isPresent()
                        ? p.duration("s3logs.fetch.settle", "5m")
                        : Props.parseDuration("s3logs.ship.max-upload-delay", maxUploadDelay),
                p.size("s3logs.fetch.max-object-bytes", "1GiB"),
                Path.of(p.string("s3logs.fetch.failed-file", DEFAULT_FAILED_FILE)),
                p.choice("s3logs.fetch.on-error", "skip", OnError.class),
                p.integer("s3logs.fetch.concurrency", 32, 1, 64),
                readAhead(p),
                p.duration("s3logs.fetch.checkpoint-interval", "1s"),
                zone);
    }

    /** A duration the way Camel's settings write it ({@code 5m}, {@code 10s}, {@code 250ms}). */
    public static String camelDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** {@code raw} or {@code json}; {@code pickle} is a format of objects, not of the output. */
    private static EventCodec.Format outputFormat(Props p) {
        String v = p.string("s3logs.fetch.output-format", "raw");
        if (!v.equalsIgnoreCase("raw") && !v.equalsIgnoreCase("json")) {
            throw new io.s3logroutes.config.ConfigException("s3logs.fetch.output-format must be raw or json, got '"
                    + v + "'" + (v.equalsIgnoreCase("pickle")
                    ? " (fetch reads pickles with s3logs.fetch.input-format=auto or pickle)" : ""));
        }
        return p.choice("s3logs.fetch.output-format", "raw", EventCodec.Format.class);
    }

    private static long readAhead(Props p) {
        long bytes = p.size("s3logs.fetch.read-ahead-bytes", "64MiB");
        if (bytes < 0 || bytes > (1L << 30)) {
            throw new io.s3logroutes.config.ConfigException("s3logs.fetch.read-ahead-bytes must be between 0 and 1GiB, not "
                    + p.string("s3logs.fetch.read-ahead-bytes", "64MiB"));
        }
        return bytes;
    }
}
