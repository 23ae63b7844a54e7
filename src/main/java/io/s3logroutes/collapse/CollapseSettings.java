package io.s3logroutes.collapse;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.s3logroutes.config.ConfigException;
import io.s3logroutes.config.Props;
import software.amazon.awssdk.services.s3.model.StorageClass;

/** The {@code s3logs.collapse.*} settings. */
public record CollapseSettings(
        LayoutKind layout,
        String inputPrefix,
        String outputPrefix,
        List<String> accounts,
        List<String> regions,
        Increment increment,
        Duration grace,
        Duration lookback,
        long partSize,
        int concurrency,
        long maxSize,
        OnMaxSize onMaxSize,
        Optional<StorageClass> storageClass,
        OnMix onMix) {

    static final long MIN_PART = 5L << 20;
    /** The largest part S3 accepts (UploadPartCopy of a whole input). */
    static final long MAX_PART = 5L << 30;
    /** The largest part-size setting: one part is buffered in a Java array. */
    static final long MAX_PART_SETTING = 1L << 30;
    /** The largest object S3 stores: the output limit of {@code max-size=0}. */
    static final long MAX_OBJECT = 5L << 40;

    public enum LayoutKind {
        S3_ACCESS("s3-access"), S3_ACCESS_PARTITIONED("s3-access-partitioned"), CLOUDTRAIL("cloudtrail"), SHIP("ship");

        private final String text;

        LayoutKind(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    public enum OnMaxSize {
        SPLIT("split"), FAIL("fail");

        private final String text;

        OnMaxSize(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** What a period holding both gzip and plain inputs does: fail (nothing uploaded), or split into two outputs. */
    public enum OnMix {
        FAIL("fail"), SPLIT("split");

        private final String text;

        OnMix(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** The largest output: {@code max-size}, or S3's object limit (5 TiB) for {@code max-size=0}. */
    public long outputLimit() {
        return maxSize == 0 ? MAX_OBJECT : maxSize;
    }

    public static CollapseSettings from(Props p) {
        LayoutKind layout = p.choice("s3logs.collapse.layout", "s3-access", LayoutKind.class);
        String in = p.string("s3logs.collapse.input-prefix", "");
        Optional<String> outRaw = p.raw("s3logs.collapse.output-prefix");
        String out = outRaw.orElse(in);
        if (layout == LayoutKind.SHIP) {
            if (outRaw.isEmpty() || out.startsWith(in) && !in.isEmpty() || out.equals(in)) {
                throw new ConfigException("s3logs.collapse.output-prefix must be set to a prefix outside"
                        + " s3logs.collapse.input-prefix ('" + in + "') for layout ship, so that fetch never reads an"
                        + " event twice; got '" + outRaw.orElse("") + "'");
            }
            if (!out.endsWith("/")) {
                throw new ConfigException("s3logs.collapse.output-prefix must end with '/' for layout ship, got '" + out + "'");
            }
        }
        long partSize = p.size("s3logs.collapse.part-size", "8MiB");
        if (partSize < MIN_PART || partSize > MAX_PART_SETTING) {
            throw new ConfigException("s3logs.collapse.part-size must be between 5MiB (the S3 minimum) and 1GiB, got "
                    + Props.formatSize(partSize));
        }
        long maxSize = p.size("s3logs.collapse.max-size", "2GiB");
        if (maxSize < 0 || maxSize > MAX_OBJECT) {
            throw new ConfigException("s3logs.collapse.max-size must be between 1 byte and 5TiB (the largest S3 object),"
                    + " or 0 for no limit but S3's, got " + Props.formatSize(maxSize));
        }
        Optional<StorageClass> sc = p.raw("s3logs.collapse.storage-class").map(v -> {
            StorageClass c = StorageClass.fromValue(v.toUpperCase(java.util.Locale.ROOT));
            if (c == StorageClass.UNKNOWN_TO_SDK_VERSION) {
                throw new ConfigException("s3logs.collapse.storage-class must be an S3 storage class such as"
                        + " REDUCED_REDUNDANCY, STANDARD_IA, GLACIER_IR, got '" + v + "'");
            }
            return c;
        });
        List<String> accounts = p.list("s3logs.collapse.accounts");
        List<String> regions = p.list("s3logs.collapse.regions");
        return new CollapseSettings(layout, in, out,
                accounts.isEmpty() ? List.of("*") : accounts,
                regions.isEmpty() ? List.of("*") : regions,
                Increment.of(p.string("s3logs.collapse.increment", "d")),
                p.duration("s3logs.collapse.grace", "1h"),
                p.duration("s3logs.collapse.lookback", "3d"),
                partSize,
                p.integer("s3logs.collapse.concurrency", 32, 1, 64),
                maxSize,
                p.choice("s3logs.collapse.on-max-size", "split", OnMaxSize.class),
                sc,
                p.choice("s3logs.collapse.on-mix", "fail", OnMix.class));
    }
}
