package io.s3logroutes.collapse;

import java.util.List;

import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.StorageClass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What collapse and ship rely on from the S3 API, as Ceph RGW 16 answers it (the RGW run only; S3Proxy's answers are
 * {@link S3ProxyConditionalsIT}'s). RGW honours If-None-Match on PutObject and If-Match on GET; it ignores the
 * condition of UploadPartCopy, CompleteMultipartUpload and the ETags of DeleteObjects. Collapse copes: the manifest,
 * written with If-None-Match before the output is completed, guards the output key, and the listing before each
 * delete keeps an input that changed after it was read or copied ({@code CollapseStepsIT}). A newer RGW that honours
 * these conditions fails the gap tests: then docs/s3-servers.md needs updating.
 */
class RgwConditionalsIT {

    static final String WRONG = "\"00000000000000000000000000000000\"";

    @BeforeAll
    static void onlyAgainstRgw() {
        Assumptions.assumeTrue(TestS3.isRgw(), "checks Ceph RGW's answers: runs in the build's rgw execution");
    }

    final Fixture f = new Fixture("rgw-conditionals");

    private String put(String key, String body) {
        f.s3.putObject(b -> b.bucket(f.bucket).key(key), RequestBody.fromString(body));
        return f.s3.headObject(b -> b.bucket(f.bucket).key(key)).eTag();
    }

    private static void precondition(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
    }

    @Test
    void putWithIfNoneMatchAndGetWithIfMatchAnswer412() {
        String etag = put("a", "hello\n");
        precondition(() -> f.s3.putObject(b -> b.bucket(f.bucket).key("a").ifNoneMatch("*"),
                RequestBody.fromString("again\n")));
        assertThat(f.get("a")).asString().isEqualTo("hello\n");
        assertThat(f.s3.getObjectAsBytes(b -> b.bucket(f.bucket).key("a").ifMatch(etag)).asUtf8String()).isEqualTo("hello\n");
        precondition(() -> f.s3.getObjectAsBytes(b -> b.bucket(f.bucket).key("a").ifMatch(WRONG)));
        precondition(() -> f.s3.getObjectAsBytes(b -> b.bucket(f.bucket).key("a").range("bytes=0-1").ifMatch(WRONG)));
    }

    @Test
    void gapUploadPartCopyAndCompleteIgnoreTheirConditions() {
        put("src", "x".repeat(100));
        put("taken", "first\n");
        String up = f.s3.createMultipartUpload(b -> b.bucket(f.bucket).key("taken")).uploadId();
        String copied = f.s3.uploadPartCopy(b -> b.sourceBucket(f.bucket).sourceKey("src").copySourceIfMatch(WRONG)
                .destinationBucket(f.bucket).destinationKey("taken").uploadId(up).partNumber(1)).copyPartResult().eTag();
        assertThat(copied).isNotBlank();
        String pe = f.s3.uploadPart(b -> b.bucket(f.bucket).key("taken").uploadId(up).partNumber(1),
                RequestBody.fromString("second\n")).eTag();
        f.s3.completeMultipartUpload(b -> b.bucket(f.bucket).key("taken").uploadId(up).ifNoneMatch("*")
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(pe).build())));
        assertThat(f.get("taken")).asString().isEqualTo("second\n");
    }

    @Test
    void gapDeleteObjectsIgnoresTheEtags() {
        put("changed", "2\n");
        var r = f.s3.deleteObjects(b -> b.bucket(f.bucket).delete(d -> d.objects(
                ObjectIdentifier.builder().key("changed").eTag(WRONG).build())));
        assertThat(r.errors()).isEmpty();
        assertThat(f.list("").keySet()).doesNotContain("changed");
    }

    /** Unlike S3Proxy 4.1.0, RGW keeps the storage class of a multipart upload, as AWS does. */
    @Test
    void multipartUploadsKeepTheirStorageClass() {
        String up = f.s3.createMultipartUpload(b -> b.bucket(f.bucket).key("mpu").storageClass(StorageClass.STANDARD_IA))
                .uploadId();
        String pe = f.s3.uploadPart(b -> b.bucket(f.bucket).key("mpu").uploadId(up).partNumber(1),
                RequestBody.fromString("part\n")).eTag();
        f.s3.completeMultipartUpload(b -> b.bucket(f.bucket).key("mpu").uploadId(up)
                .multipartUpload(m -> m.parts(List.of(CompletedPart.builder().partNumber(1).eTag(pe).build()))));
        assertThat(f.s3.headObject(b -> b.bucket(f.bucket).key("mpu")).storageClassAsString()).isEqualTo("STANDARD_IA");
    }
}
