package io.s3logroutes.s3;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Optional;

import io.s3logroutes.config.S3Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static io.s3logroutes.s3.S3Failures.Kind.FATAL;
import static io.s3logroutes.s3.S3Failures.Kind.OUTAGE;
import static org.assertj.core.api.Assertions.assertThat;

/** Which failed S3 calls are an outage (start anyway, retry) and which are fatal (one line, exit 2). */
class S3FailuresTest {

    static S3Exception answer(int status, String code) {
        var b = S3Exception.builder().statusCode(status).message("answer " + status);
        if (code != null) {
            b.awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build());
        }
        return (S3Exception) b.build();
    }

    @ParameterizedTest
    @CsvSource({
            "403, AccessDenied, FATAL",
            "403, InvalidAccessKeyId, FATAL",
            "403, SignatureDoesNotMatch, FATAL",
            "403, , FATAL",
            "404, NoSuchBucket, FATAL",
            "404, , FATAL",
            "301, PermanentRedirect, FATAL",
            "400, AuthorizationHeaderMalformed, FATAL",
            "400, , FATAL",
            "500, InternalError, OUTAGE",
            "502, , OUTAGE",
            "503, SlowDown, OUTAGE",
            "503, , OUTAGE",
            "504, , OUTAGE",
            "429, , OUTAGE",
            "408, , OUTAGE",
            "400, RequestTimeout, OUTAGE",
    })
    void s3AnswersByStatusAndErrorCode(int status, String code, S3Failures.Kind kind) {
        assertThat(S3Failures.classify(answer(status, code))).isEqualTo(kind);
    }

    @Test
    void theSdksOwnExceptionForAMissingBucketIsFatal() {
        assertThat(S3Failures.classify(NoSuchBucketException.builder().statusCode(404).build())).isEqualTo(FATAL);
    }

    @Test
    void noAnswerIsAnOutage() {
        assertThat(S3Failures.classify(SdkClientException.create("Unable to execute HTTP request: refused",
                new ConnectException("Connection refused")))).isEqualTo(OUTAGE);
        assertThat(S3Failures.classify(SdkClientException.create("read timed out",
                new SocketTimeoutException("Read timed out")))).isEqualTo(OUTAGE);
        assertThat(S3Failures.classify(SdkClientException.create("no host",
                new UnknownHostException("s3.example")))).isEqualTo(OUTAGE);
        assertThat(S3Failures.classify(ApiCallTimeoutException.create(3000))).isEqualTo(OUTAGE);
        assertThat(S3Failures.classify(ApiCallAttemptTimeoutException.create(3000))).isEqualTo(OUTAGE);
    }

    @Test
    void aWrappedSdkExceptionIsClassifiedByItself() {
        assertThat(S3Failures.classify(new java.util.concurrent.CompletionException(answer(503, "SlowDown"))))
                .isEqualTo(OUTAGE);
        assertThat(S3Failures.classify(new RuntimeException("read failed", answer(403, "AccessDenied"))))
                .isEqualTo(FATAL);
        assertThat(S3Failures.classify(new java.io.UncheckedIOException(new java.io.IOException("reset"))))
                .isEqualTo(OUTAGE);
    }

    @Test
    void missingCredentialsAndOtherClientFailuresAreFatal() {
        assertThat(S3Failures.classify(SdkClientException.create(
                "Unable to load credentials from any of the providers in the chain"))).isEqualTo(FATAL);
        // the credential chain may fail on I/O (the instance metadata endpoint): still no credentials
        assertThat(S3Failures.classify(SdkClientException.create("Unable to load credentials from service endpoint",
                new ConnectException("Connection refused")))).isEqualTo(FATAL);
        assertThat(S3Failures.classify(SdkClientException.create("Unable to marshall request"))).isEqualTo(FATAL);
        assertThat(S3Failures.classify(new IllegalStateException("bug"))).isEqualTo(FATAL);
    }

    static S3Settings settings() {
        return new S3Settings("logs", "eu-west-1", Optional.of(java.net.URI.create("http://127.0.0.1:9")), true, Optional.empty(),
                S3Settings.Checksum.WHEN_SUPPORTED, 1, java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(1), S3Settings.Sse.NONE, Optional.empty(), true, false);
    }

    @Test
    void eachFailureIsOneLineNamingTheBucket() {
        S3Settings s = settings();
        assertThat(BucketCheck.message(s, answer(404, null))).isEqualTo("S3 bucket 'logs' at http://127.0.0.1:9 does not exist");
        assertThat(BucketCheck.message(s, answer(301, null))).endsWith("is in another region than s3logs.s3.region=eu-west-1");
        assertThat(BucketCheck.message(s, answer(503, "SlowDown"))).endsWith("answered HTTP 503 SlowDown");
        assertThat(BucketCheck.message(s, SdkClientException.create("Unable to execute HTTP request",
                new ConnectException("Connection\n refused"))))
                .isEqualTo("S3 bucket 'logs' at http://127.0.0.1:9 is unreachable: Connection refused");
        assertThat(BucketCheck.message(s, SdkClientException.create("Unable to load credentials from any provider")))
                .isEqualTo(BucketCheck.NO_CREDENTIALS);
    }
}
