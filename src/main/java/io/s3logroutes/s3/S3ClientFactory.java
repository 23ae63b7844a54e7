package io.s3logroutes.s3;

import io.s3logroutes.config.S3Settings;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Builds the single {@link S3Client} of the application from {@link S3Settings}. Retries use the SDK's standard
 * strategy (exponential backoff with full jitter), configured here rather than written by hand.
 *
 * <p>Where retries belong: a call that a route retries itself (ship's uploads, retried by the {@code ship-put}
 * route's redelivery without limit), the health probe and the service's startup check make one attempt
 * ({@link #SINGLE_ATTEMPT}), so that an outage reaches the route, its metrics and the health within one call timeout
 * and the two layers never multiply.
 * Fetch and collapse calls use the SDK's {@code s3logs.s3.max-attempts}; what still fails is retried by the next
 * poll or run, from the checkpoint or the manifest.
 *
 * <p>Chunked ({@code aws-chunked}) request bodies are off. Over plain HTTP the SDK would otherwise sign the payload
 * chunk by chunk ({@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}) and add {@code Content-Encoding: aws-chunked} beside a
 * gzip object's own {@code Content-Encoding: gzip}: Ceph RGW rejects that signature (403) and stores
 * {@code aws-chunked} as the encoding of other objects. Without it, over HTTP the SDK signs the SHA-256 of the whole
 * body, computed before sending; over HTTPS the body is unsigned ({@code UNSIGNED-PAYLOAD}, TLS protects it) and,
 * with {@code s3logs.s3.checksum=when-supported}, its CRC32 goes in an {@code x-amz-checksum-crc32} header instead of
 * a trailer. The SDK reads the body once for that hash or checksum before it sends it, which every body the
 * application sends allows (files and byte arrays).
 */
public final class S3ClientFactory {

    /** The per-request override of a call whose caller retries it: the SDK makes one attempt. */
    public static final AwsRequestOverrideConfiguration SINGLE_ATTEMPT = AwsRequestOverrideConfiguration.builder()
            .addPlugin(config -> config.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())))
            .build();

    private S3ClientFactory() {
    }

    /**
     * @param credentials {@code null} for the AWS default chain (or the named profile); the embedded quick start
     *                    passes the credentials it generated for its own server.
     */
    public static S3Client create(S3Settings s, AwsCredentialsProvider credentials, int maxConnections) {
        AwsCredentialsProvider provider = credentials;
        if (provider == null) {
            provider = s.profile().<AwsCredentialsProvider>map(ProfileCredentialsProvider::create)
                    .orElseGet(() -> DefaultCredentialsProvider.builder().build());
        }
        S3ClientBuilder b = S3Client.builder()
                .region(Region.of(s.region()))
                .credentialsProvider(provider)
                .forcePathStyle(s.pathStyle())
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .requestChecksumCalculation(s.checksum() == S3Settings.Checksum.WHEN_REQUIRED
                        ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED)
                .responseChecksumValidation(s.checksum() == S3Settings.Checksum.WHEN_REQUIRED
                        ? ResponseChecksumValidation.WHEN_REQUIRED : ResponseChecksumValidation.WHEN_SUPPORTED)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(s.connectTimeout())
                        .maxConnections(maxConnections))
                .overrideConfiguration(o -> o
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(s.maxAttempts()).build())
                        .apiCallTimeout(s.callTimeout())
                        .apiCallAttemptTimeout(s.callAttemptTimeout()));
        s.endpoint().ifPresent(b::endpointOverride);
        return b.build();
    }
}
