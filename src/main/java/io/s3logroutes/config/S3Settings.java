package io.s3logroutes.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The one S3 connection that every flow and the aws2-s3 component share ({@code s3logs.s3.*}). */
public record S3Settings(
        String bucket,
        String region,
        Optional<URI> endpoint,
        boolean pathStyle,
        Optional<String> profile,
        Checksum checksum,
        int maxAttempts,
        Duration connectTimeout,
        Duration callTimeout,
        Duration callAttemptTimeout,
        Sse sse,
        Optional<String> sseKmsKeyId,
        boolean conditionalWrites,
        boolean embedded) {

    public enum Checksum {
        WHEN_SUPPORTED("when-supported"), WHEN_REQUIRED("when-required");

        private final String text;

        Checksum(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    public enum Sse {
        NONE("none"), AES256("aes256"), AWS_KMS("aws:kms");

        private final String text;

        Sse(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    public static S3Settings from(Props p) {
        boolean embedded = p.bool("s3logs.s3.embedded", false);
        String bucket = p.required("s3logs.s3.bucket");
        Optional<URI> endpoint = p.raw("s3logs.s3.endpoint").map(s -> {
            try {
                URI u = URI.create(s);
                if (u.getScheme() == null || u.getHost() == null
                        || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                    throw new IllegalArgumentException();
                }
                return u;
            } catch (IllegalArgumentException e) {
                throw new ConfigException("s3logs.s3.endpoint must be an http(s) URL such as http://localhost:4566, got '" + s + "'");
            }
        });
        Sse sse = p.choice("s3logs.s3.sse", "none", Sse.class);
        Optional<String> kms = p.raw("s3logs.s3.sse-kms-key-id");
        if (kms.isPresent() && sse != Sse.AWS_KMS) {
            throw new ConfigException("s3logs.s3.sse-kms-key-id is set but s3logs.s3.sse is '" + sse + "', not aws:kms");
        }
        return new S3Settings(
                bucket,
                p.string("s3logs.s3.region", "us-east-1"),
                endpoint,
                p.bool("s3logs.s3.path-style", false),
                p.raw("s3logs.s3.profile"),
                p.choice("s3logs.s3.checksum", "when-supported", Checksum.class),
                p.integer("s3logs.s3.max-attempts", 10, 1, 100),
                p.duration("s3logs.s3.connect-timeout", "5s"),
                p.duration("s3logs.s3.call-timeout", "5m"),
                p.duration("s3logs.s3.call-attempt-timeout", "1m"),
                sse,
                kms,
                p.bool("s3logs.s3.conditional-writes", true),
                embedded);
    }

    /** The same connection with another number of attempts per call. */
    public S3Settings withMaxAttempts(int attempts) {
        return new S3Settings(bucket, region, endpoint, pathStyle, profile, checksum, attempts, connectTimeout,
                callTimeout, callAttemptTimeout, sse, sseKmsKeyId, conditionalWrites, embedded);
    }

    public String describeEndpoint() {
        return endpoint.map(URI::toString).orElse("AWS (region " + region + ")");
    }
}
