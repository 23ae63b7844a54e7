package io.s3logroutes.s3;

import java.util.function.Consumer;

import io.s3logroutes.config.S3Settings;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** Applies the connection's server-side encryption ({@code s3logs.s3.sse}) to every object the flows write. */
public final class Sse {

    private Sse() {
    }

    public static PutObjectRequest.Builder on(S3Settings s, PutObjectRequest.Builder b) {
        apply(s, b::serverSideEncryption, b::ssekmsKeyId);
        return b;
    }

    public static CreateMultipartUploadRequest.Builder on(S3Settings s, CreateMultipartUploadRequest.Builder b) {
        apply(s, b::serverSideEncryption, b::ssekmsKeyId);
        return b;
    }

    private static void apply(S3Settings s, Consumer<ServerSideEncryption> sse, Consumer<String> kmsKeyId) {
        switch (s.sse()) {
            case AES256 -> sse.accept(ServerSideEncryption.AES256);
            case AWS_KMS -> {
                sse.accept(ServerSideEncryption.AWS_KMS);
                s.sseKmsKeyId().ifPresent(kmsKeyId);
            }
            default -> {
                // no server-side encryption header: the bucket's default applies
            }
        }
    }
}
