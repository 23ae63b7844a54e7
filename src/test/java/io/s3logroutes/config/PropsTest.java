package io.s3logroutes.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PropsTest {

    static Props props(Map<String, String> m) {
        return new Props(k -> Optional.ofNullable(m.get(k)));
    }

    @Test
    void sizesAreWrittenWithBinaryUnits() {
        assertThat(Props.parseSize("k", "64KiB")).isEqualTo(65536);
        assertThat(Props.parseSize("k", "8MiB")).isEqualTo(8L << 20);
        assertThat(Props.parseSize("k", "2GiB")).isEqualTo(2L << 30);
        assertThat(Props.parseSize("k", "1234")).isEqualTo(1234);
        assertThatThrownBy(() -> Props.parseSize("s3logs.x", "8MB")).hasMessageContaining("s3logs.x").hasMessageContaining("8MB");
    }

    @Test
    void durationsAreWrittenTheCamelWay() {
        assertThat(Props.parseDuration("k", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Props.parseDuration("k", "10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Props.parseDuration("k", "5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Props.parseDuration("k", "1h")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> Props.parseDuration("s3logs.y", "soon")).hasMessageContaining("s3logs.y");
    }

    @Test
    void missingBucketNamesTheKey() {
        assertThatThrownBy(() -> S3Settings.from(props(Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("s3logs.s3.bucket");
    }

    @Test
    void connectionSettingsAreParsed() {
        S3Settings s = S3Settings.from(props(Map.of("s3logs.s3.bucket", "b", "s3logs.s3.endpoint", "http://localhost:4566",
                "s3logs.s3.path-style", "true", "s3logs.s3.checksum", "when-required", "s3logs.s3.sse", "aws:kms",
                "s3logs.s3.sse-kms-key-id", "alias/logs", "s3logs.s3.max-attempts", "4")));
        assertThat(s.endpoint()).hasValueSatisfying(u -> assertThat(u.getPort()).isEqualTo(4566));
        assertThat(s.pathStyle()).isTrue();
        assertThat(s.checksum()).isEqualTo(S3Settings.Checksum.WHEN_REQUIRED);
        assertThat(s.sse()).isEqualTo(S3Settings.Sse.AWS_KMS);
        assertThat(s.sseKmsKeyId()).contains("alias/logs");
        assertThat(s.maxAttempts()).isEqualTo(4);
        assertThat(s.region()).isEqualTo("us-east-1");
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> S3Settings.from(props(Map.of("s3logs.s3.bucket", "b", "s3logs.s3.endpoint", "localhost"))))
                .hasMessageContaining("s3logs.s3.endpoint");
        assertThatThrownBy(() -> S3Settings.from(props(Map.of("s3logs.s3.bucket", "b", "s3logs.s3.sse", "des"))))
                .hasMessageContaining("s3logs.s3.sse");
        assertThatThrownBy(() -> S3Settings.from(props(Map.of("s3logs.s3.bucket", "b", "s3logs.s3.path-style", "yes"))))
                .hasMessageContaining("s3logs.s3.path-style");
    }
}
