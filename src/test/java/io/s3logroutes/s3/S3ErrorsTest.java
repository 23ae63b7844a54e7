package io.s3logroutes.s3;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import io.s3logroutes.testing.FaultProxy;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The one line of an S3 error, from real answers: S3Proxy's own, and those of the fault proxy in front of it. */
class S3ErrorsTest {

    static final String SIGNATURE = "The request signature we calculated does not match the signature you provided."
            + " Check your key and signing method.";

    static S3Client client(String endpoint, String accessKey, String secretKey) {
        Map<String, String> p = Map.of("s3logs.s3.bucket", "unused", "s3logs.s3.endpoint", endpoint,
                "s3logs.s3.path-style", "true", "s3logs.s3.max-attempts", "1");
        return S3ClientFactory.create(S3Settings.from(new Props(k -> Optional.ofNullable(p.get(k)))),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)), 2);
    }

    static S3Exception put(S3Client c, String bucket) {
        return catchThrowableOfType(S3Exception.class,
                () -> c.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("x")));
    }

    @Test
    void anAnswerWithABodyGivesItsStatusCodeMessageAndRequestId() throws IOException {
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("errors");
        try (FaultProxy proxy = new FaultProxy(s3.server().endpoint(), 0, 1);
             S3Client c = client(proxy.endpoint().toString(), s3.server().accessKey(), s3.server().secretKey())) {
            proxy.refuse("PUT", 403, "SignatureDoesNotMatch", SIGNATURE);
            S3Exception e = put(c, bucket);
            assertThat(S3Errors.details(e))
                    .isEqualTo("403 SignatureDoesNotMatch: " + SIGNATURE + " (request id FAULTPROXY)");
            assertThat(S3Errors.code(e)).isEqualTo("SignatureDoesNotMatch");
            // the SDK's own text leaves the error code out
            assertThat(e.toString()).doesNotContain("SignatureDoesNotMatch");

            proxy.refuse("PUT", 400, "InvalidArgument", "Invalid argument.");
            assertThat(S3Errors.describe(put(c, bucket)))
                    .isEqualTo("S3 error 400 InvalidArgument: Invalid argument. (request id FAULTPROXY)");
        }
    }

    @Test
    void anAnswerWithoutABodyGivesTheStatusItsReasonAndTheRequestIdHeader() throws IOException {
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("errors");
        try (FaultProxy proxy = new FaultProxy(s3.server().endpoint(), 0, 1);
             S3Client c = client(proxy.endpoint().toString(), s3.server().accessKey(), s3.server().secretKey())) {
            proxy.refuse("PUT", 403, null, null);
            S3Exception e = put(c, bucket);
            assertThat(S3Errors.details(e))
                    .isEqualTo("403 Forbidden, no error code or message in the answer (request id FAULTPROXY)");
            assertThat(S3Errors.code(e)).isNull();
        }
    }

    @Test
    void s3ProxysOwnAnswersToABadSignature() {
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("errors");
        try (S3Client c = client(s3.server().endpoint().toString(), s3.server().accessKey(), "not-the-secret")) {
            S3Exception put = put(c, bucket);
            assertThat(S3Errors.details(put)).matches("403 SignatureDoesNotMatch: "
                    + java.util.regex.Pattern.quote(SIGNATURE) + " \\(request id [0-9A-F]+\\)");
            // a HEAD answer has no body: the status, its reason and the request id header
            S3Exception head = catchThrowableOfType(S3Exception.class, () -> c.headObject(b -> b.bucket(bucket).key("k")));
            assertThat(S3Errors.details(head))
                    .matches("403 Forbidden, no error code or message in the answer \\(request id [0-9A-F]+\\)");
        }
    }

    @Test
    void aWrapperKeepsItsTextAndGetsTheDetailsOnce() {
        AwsServiceException e = S3Exception.builder().statusCode(403).requestId("R1")
                .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                        .errorCode("AccessDenied").errorMessage("Access Denied").build()).build();
        assertThat(S3Errors.describe(e)).isEqualTo("S3 error 403 AccessDenied: Access Denied (request id R1)");
        IOException wrapped = new IOException("cannot fetch s3://b/k", e);
        assertThat(S3Errors.answer(wrapped)).isSameAs(e);
        assertThat(S3Errors.describe(wrapped)).isEqualTo("java.io.IOException: cannot fetch s3://b/k"
                + " [S3 error 403 AccessDenied: Access Denied (request id R1)]");
        IOException told = new IOException("cannot fetch s3://b/k: " + S3Errors.describe(e), e);
        assertThat(S3Errors.describe(told)).isEqualTo(told.toString());
        assertThat(S3Errors.describe(new IOException("disk full"))).isEqualTo("java.io.IOException: disk full");
        assertThat(S3Errors.answer(new IOException("disk full"))).isNull();
    }
}
