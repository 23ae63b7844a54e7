package io.s3logroutes.s3;

import java.io.IOException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Sorts a failed S3 call into an {@link Kind#OUTAGE} (S3 did not answer, or answered that it cannot serve now: wait
 * and try again) or a {@link Kind#FATAL} answer (the settings are wrong: a missing bucket, access denied, another
 * region, no or bad credentials; trying again does not help).
 *
 * <ul>
 *   <li>An answer with HTTP 5xx, 429 or 408, or the error codes SlowDown, ServiceUnavailable, InternalError or
 *       RequestTimeout: outage. Every other answer (403 AccessDenied, InvalidAccessKeyId, SignatureDoesNotMatch; 404
 *       NoSuchBucket; 301 and 400 for another region; ...): fatal.</li>
 *   <li>No credentials ({@link BucketCheck#NO_CREDENTIALS}): fatal.</li>
 *   <li>No answer: a call or attempt timeout, or an I/O error (connection refused or reset, a socket timeout, an
 *       unknown host): outage. Any other client-side failure: fatal.</li>
 * </ul>
 */
public final class S3Failures {

    public enum Kind { OUTAGE, FATAL }

    private S3Failures() {
    }

    /** The kind of {@code e}, or of the first SDK exception among its causes (a route or a future may wrap it). */
    public static Kind classify(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof AwsServiceException || c instanceof SdkClientException) {
                return classifySdk(c);
            }
        }
        return classifySdk(e);
    }

    private static Kind classifySdk(Throwable e) {
        if (e instanceof AwsServiceException se) {
            return isOutage(se.statusCode(), se.awsErrorDetails() == null ? null : se.awsErrorDetails().errorCode())
                    ? Kind.OUTAGE : Kind.FATAL;
        }
        if (e instanceof SdkClientException ce && BucketCheck.isMissingCredentials(ce)) {
            return Kind.FATAL;
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return Kind.OUTAGE;
        }
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IOException) {
                return Kind.OUTAGE;
            }
        }
        return Kind.FATAL;
    }

    /** Whether an S3 answer with this status and error code (may be null: HEAD answers have no body) is an outage. */
    public static boolean isOutage(int status, String errorCode) {
        if (status >= 500 || status == 429 || status == 408) {
            return true;
        }
        return errorCode != null && switch (errorCode) {
            case "SlowDown", "ServiceUnavailable", "InternalError", "RequestTimeout", "Throttling" -> true;
            default -> false;
        };
    }
}
