package io.s3logroutes.s3;

import java.util.Map;
import java.util.Optional;

import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import static org.assertj.core.api.Assertions.assertThat;

class SseTest {

    static S3Settings settings(Map<String, String> m) {
        return S3Settings.from(new Props(k -> Optional.ofNullable(m.get(k))));
    }

    @Test
    void kmsWithAKeyIdIsSetOnPutsAndMultipartUploads() {
        S3Settings s = settings(Map.of("s3logs.s3.bucket", "b", "s3logs.s3.sse", "aws:kms",
                "s3logs.s3.sse-kms-key-id", "alias/logs"));
        PutObjectRequest put = Sse.on(s, PutObjectRequest.builder().bucket("b").key("k")).build();
        assertThat(put.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(put.ssekmsKeyId()).isEqualTo("alias/logs");
        CreateMultipartUploadRequest mpu = Sse.on(s, CreateMultipartUploadRequest.builder().bucket("b").key("k")).build();
        assertThat(mpu.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(mpu.ssekmsKeyId()).isEqualTo("alias/logs");
    }

    @Test
    void aes256AndNone() {
        PutObjectRequest aes = Sse.on(settings(Map.of("s3logs.s3.bucket", "b", "s3logs.s3.sse", "aes256")),
                PutObjectRequest.builder()).build();
        assertThat(aes.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        assertThat(aes.ssekmsKeyId()).isNull();
        PutObjectRequest none = Sse.on(settings(Map.of("s3logs.s3.bucket", "b")), PutObjectRequest.builder()).build();
        assertThat(none.serverSideEncryption()).isNull();
    }
}
