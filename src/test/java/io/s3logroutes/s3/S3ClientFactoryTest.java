package io.s3logroutes.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.s3logroutes.config.S3Settings;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Where retries belong: the client's calls retry, a call with SINGLE_ATTEMPT (a route retries it) does not. */
class S3ClientFactoryTest {

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
