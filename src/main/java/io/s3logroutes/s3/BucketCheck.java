package io.s3logroutes.s3;

import io.s3logroutes.config.S3Settings;
import io.s3logroutes.config.StartupException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * HeadBucket on the bucket, at startup and for the health check {@code s3}: a missing bucket, a bucket we may not use
 * or an unreachable endpoint is one clear line; {@link #probe} also says whether it is an outage or fatal.
 */
public final class BucketCheck {

    private BucketCheck() {
    }

    public static void check(S3Client s3, S3Settings s) {
        check(s3, s, null);
    }

    /** The same check with all attempts limited to {@code timeout} (null: the client's own call timeout). */
    public static void check(S3Client s3, S3Settings s, java.time.Duration timeout) {
        Failure f = probe(s3, s, timeout);
        if (f != null) {
            throw new StartupException(f.message());
        }
    }

    /** A failed check: its kind ({@link S3Failures}) and its one line. */
    public record Failure(S3Failures.Kind kind, String message) {
    }

    /**
     * HeadBucket on the bucket: null when S3 answers that the bucket is there and may be used, else the failure,
     * classified by {@link S3Failures}. With a {@code timeout}, one attempt within it (null: the client's own retries
     * and call timeout).
     */
    public static Failure probe(S3Client s3, S3Settings s, java.time.Duration timeout) {
        try {
            s3.headBucket(b -> {
                b.bucket(s.bucket());
                if (timeout != null) {
                    // the health probe: one attempt within the timeout (S3ClientFactory: where retries belong)
                    b.overrideConfiguration(S3ClientFactory.SINGLE_ATTEMPT.toBuilder().apiCallTimeout(timeout)
                            .apiCallAttemptTimeout(timeout).build());
                }
            });
            return null;
        } catch (S3Exception e) {
            return new Failure(S3Failures.classify(e), message(s, e));
        } catch (SdkClientException e) {
            return new Failure(S3Failures.classify(e), message(s, e));
        }
    }

    /** The one line of a failed HeadBucket on the bucket of {@code s}. */
    static String message(S3Settings s, Exception e) {
        String where = "bucket '" + s.bucket() + "' at " + s.describeEndpoint();
        if (e instanceof S3Exception se) {
            String code = se.awsErrorDetails() == null ? null : se.awsErrorDetails().errorCode();
            String why = switch (se.statusCode()) {
                case 404 -> "does not exist";
                case 403 -> "is not accessible with these credentials (403 Forbidden)";
                case 301 -> "is in another region than s3logs.s3.region=" + s.region();
                default -> "answered HTTP " + se.statusCode() + (code == null || code.isBlank() ? "" : " " + code);
            };
            return "S3 " + where + " " + why;
        }
        if (e instanceof SdkClientException ce && isMissingCredentials(ce)) {
            return NO_CREDENTIALS;
        }
        return "S3 " + where + " is unreachable: " + rootMessage(e);
    }

    /** The one line for a start without credentials (the SDK's own message lists every provider it tried). */
    public static final String NO_CREDENTIALS = "no AWS credentials found: set AWS_ACCESS_KEY_ID and "
            + "AWS_SECRET_ACCESS_KEY, or a profile (AWS_PROFILE, ~/.aws/credentials, or s3logs.s3.profile), or run "
            + "with an instance, task or pod role";

    static boolean isMissingCredentials(SdkClientException e) {
        return e.getMessage() != null && e.getMessage().startsWith("Unable to load credentials");
    }

    static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        String m = r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
        return m.replaceAll("\\s+", " ");
    }
}
