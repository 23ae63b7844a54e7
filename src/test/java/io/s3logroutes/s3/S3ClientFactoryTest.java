package io.s3logroutes.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;

import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where retries belong: the client's calls retry, a call with SINGLE_ATTEMPT (a route retries it) does not. What a PUT
 * sends over plain HTTP: one Content-Encoding and the signed SHA-256 of the whole body (no aws-chunked body, which
 * Ceph RGW rejects next to Content-Encoding: gzip).
 */
class S3ClientFactoryTest {

    @Test
    void aPutOverHttpSendsOneContentEncodingAndSignsTheWholeBody(@TempDir Path dir) throws Exception {
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("encoding");
        Path gz = dir.resolve("batch.gz");
        try (var out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("line 1\nline 2\n".getBytes(StandardCharsets.UTF_8));
        }
        byte[] body = Files.readAllBytes(gz);
        for (String checksum : List.of("when-supported", "when-required")) {
            Map<String, String> m = new HashMap<>(s3.appProperties(bucket));
            m.put("s3logs.s3.checksum", checksum);
            S3Settings settings = S3Settings.from(new Props(k -> Optional.ofNullable(m.get(k))));
            List<SdkHttpRequest> sent = new CopyOnWriteArrayList<>();
            AwsRequestOverrideConfiguration recorded = AwsRequestOverrideConfiguration.builder()
                    .addPlugin(c -> c.overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                        @Override
                        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes a) {
                            sent.add(context.httpRequest());
                        }
                    }))).build();
            // the credentials of the test server, through the default chain as the application finds them
            try (S3Client client = S3ClientFactory.create(settings, null, 2)) {
                client.putObject(b -> b.bucket(bucket).key(checksum + ".gz").contentEncoding("gzip")
                        .contentType("text/plain").overrideConfiguration(recorded), RequestBody.fromFile(gz));
                client.putObject(b -> b.bucket(bucket).key(checksum + ".log").contentType("text/plain")
                        .overrideConfiguration(recorded), RequestBody.fromString("plain\n"));

                assertThat(sent).hasSize(2);
                SdkHttpRequest gzip = sent.get(0);
                assertThat(gzip.headers().get("Content-Encoding")).as(checksum).containsExactly("gzip");
                assertThat(gzip.firstMatchingHeader("x-amz-content-sha256")).as(checksum)
                        .hasValue(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
                assertThat(gzip.firstMatchingHeader("x-amz-decoded-content-length")).isEmpty();
                CRC32 crc = new CRC32();
                crc.update(body);
                String crc32 = Base64.getEncoder().encodeToString(
                        java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
                assertThat(gzip.firstMatchingHeader("x-amz-checksum-crc32")).as(checksum)
                        .isEqualTo(checksum.equals("when-supported") ? Optional.of(crc32) : Optional.empty());
                assertThat(sent.get(1).headers()).as(checksum).doesNotContainKey("Content-Encoding");

                var head = client.headObject(b -> b.bucket(bucket).key(checksum + ".gz"));
                assertThat(head.contentEncoding()).isEqualTo("gzip");
                assertThat(head.contentLength()).isEqualTo(body.length);
                assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key(checksum + ".gz")).asByteArray())
                        .isEqualTo(body);
                assertThat(client.headObject(b -> b.bucket(bucket).key(checksum + ".log")).contentEncoding()).isNull();
            }
        }
    }

    @Test
    void aSingleAttemptCallFailsAfterOneAttemptWhileOthersUseTheConfiguredAttempts() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        // nothing listens on the port any more: every attempt is refused at once
        S3Settings settings = new S3Settings("b", "us-east-1", Optional.of(URI.create("http://127.0.0.1:" + port)), true,
                Optional.empty(), S3Settings.Checksum.WHEN_REQUIRED, 3, Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofSeconds(5), S3Settings.Sse.NONE, Optional.empty(), true, false);
        try (S3Client client = S3ClientFactory.create(settings,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")), 2)) {
            Throwable once = catchThrowable(() -> client.putObject(b -> b.bucket("b").key("k")
                    .overrideConfiguration(S3ClientFactory.SINGLE_ATTEMPT), RequestBody.fromString("x")));
            assertThat(once).isInstanceOf(SdkClientException.class).hasMessageContaining("SDK Attempt Count: 1)");

            Throwable retried = catchThrowable(() -> client.headObject(b -> b.bucket("b").key("k")));
            assertThat(retried).isInstanceOf(SdkClientException.class).hasMessageContaining("SDK Attempt Count: 3)");
        }
    }
}
