package io.s3logroutes.s3;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * One line for a failed S3 call, for logs and health messages: the HTTP status, the S3 error code and message of the
 * answer's XML body ({@link AwsServiceException#awsErrorDetails()}) and the request id, for example
 * {@code 403 SignatureDoesNotMatch: The request signature we calculated does not match ... (request id 4442587F)}.
 * The SDK's own message leaves the error code out, and is empty when the answer has no body (a HEAD, some servers):
 * then the line has the HTTP status and its reason and the {@code x-amz-request-id} header.
 */
public final class S3Errors {

    private S3Errors() {
    }

    /** The first S3 answer among {@code t} and its causes (a route, a future or a step may wrap it), or null. */
    public static AwsServiceException answer(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof AwsServiceException se) {
                return se;
            }
        }
        return null;
    }

    /** {@code 403 SignatureDoesNotMatch: message (request id X)}, or with no body {@code 403 Forbidden, ...}. */
    public static String details(AwsServiceException e) {
        AwsErrorDetails d = e.awsErrorDetails();
        String code = d == null ? null : blankToNull(d.errorCode());
        String message = d == null ? null : blankToNull(d.errorMessage());
        String reason = d == null || d.sdkHttpResponse() == null ? null
                : d.sdkHttpResponse().statusText().map(S3Errors::blankToNull).orElse(null);
        if (message != null && message.equals(reason)) {
            // the SDK's stand-in for an answer without a body (a HEAD): the status line's reason
            message = null;
        }
        StringBuilder sb = new StringBuilder().append(e.statusCode());
        if (code != null) {
            sb.append(' ').append(code);
        } else if (reason != null) {
            sb.append(' ').append(reason);
        }
        if (message != null) {
            sb.append(": ").append(message.replaceAll("\\s+", " ").trim());
        } else if (code == null) {
            sb.append(", no error code or message in the answer");
        }
        String id = requestId(e);
        sb.append(" (request id ").append(id == null ? "none" : id).append(')');
        return sb.toString();
    }

    /** The S3 error code of the answer, or null when it has none (no body). */
    public static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null ? null : blankToNull(e.awsErrorDetails().errorCode());
    }

    /**
     * {@code t} as one line: for an S3 answer, its {@link #details}; for an exception that wraps one, its own text
     * followed by the details unless that text holds them already; for anything else, {@code t.toString()}.
     */
    public static String describe(Throwable t) {
        AwsServiceException se = answer(t);
        if (se == null) {
            return String.valueOf(t);
        }
        String details = details(se);
        if (se == t) {
            return "S3 error " + details;
        }
        String own = t.toString();
        return own.contains(details) ? own : own + " [S3 error " + details + "]";
    }

    /** The request id the SDK took from the answer, else the {@code x-amz-request-id} header itself. */
    static String requestId(AwsServiceException e) {
        String id = blankToNull(e.requestId());
        if (id == null && e.awsErrorDetails() != null && e.awsErrorDetails().sdkHttpResponse() != null) {
            id = e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-request-id")
                    .map(S3Errors::blankToNull).orElse(null);
        }
        return id;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
