package io.s3logroutes.fetch;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.s3logroutes.config.ConfigException;
import io.s3logroutes.config.Props;
import io.s3logroutes.event.EventCodec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FetchSettingsTest {

    static FetchSettings from(Map<String, String> m) {
        return FetchSettings.from(new Props(k -> Optional.ofNullable(m.get(k))));
    }

    @Test
    void defaults() {
        FetchSettings s = from(Map.of());
        assertThat(s.prefix()).isEmpty();
        assertThat(s.pollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.maxKeys()).isEqualTo(1000);
        assertThat(s.outputFile().toString()).isEqualTo("data/out/fetched.log");
        assertThat(s.outputFormat()).isEqualTo(EventCodec.Format.RAW);
        assertThat(s.checkpointFile().toString()).isEqualTo("data/lastkey.log");
        assertThat(s.settle()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.onError()).isEqualTo(FetchSettings.OnError.SKIP);
        assertThat(s.maxObjectBytes()).isEqualTo(1L << 30);
        assertThat(s.concurrency()).isEqualTo(32);
        assertThat(s.readAheadBytes()).isEqualTo(64L << 20);
        assertThat(s.checkpointInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void settleDefaultsToShipsMaxUploadDelay() {
        assertThat(from(Map.of("s3logs.ship.max-upload-delay", "90s")).settle()).isEqualTo(Duration.ofSeconds(90));
        assertThat(from(Map.of("s3logs.ship.max-upload-delay", "90s", "s3logs.fetch.settle", "10m")).settle())
                .isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> from(Map.of("s3logs.fetch.on-error", "ignore")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("s3logs.fetch.on-error");
        assertThatThrownBy(() -> from(Map.of("s3logs.fetch.max-keys", "5000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("s3logs.fetch.max-keys");
        assertThatThrownBy(() -> from(Map.of("s3logs.fetch.output-format", "xml")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("s3logs.fetch.output-format");
        assertThatThrownBy(() -> from(Map.of("s3logs.fetch.output-format", "pickle")))
                .isInstanceOf(ConfigException.class).hasMessage("s3logs.fetch.output-format must be raw or json, got"
                        + " 'pickle' (fetch reads pickles with s3logs.fetch.input-format=auto or pickle)");
        assertThatThrownBy(() -> from(Map.of("s3logs.fetch.input-format", "xml")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("[auto, raw, json, pickle]");
        assertThat(from(Map.of("s3logs.fetch.input-format", "pickle")).inputFormat())
                .isEqualTo(ObjectReader.InputFormat.PICKLE);
        assertThatThrownBy(() -> from(Map.of("s3logs.fetch.concurrency", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("s3logs.fetch.concurrency");
        assertThatThrownBy(() -> from(Map.of("s3logs.fetch.read-ahead-bytes", "2GiB")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("s3logs.fetch.read-ahead-bytes");
    }

    @Test
    void keyTimeZoneIsUtcUnlessSetAndABadOneIsNamed() {
        assertThat(from(Map.of()).keyTimeZone()).isEqualTo(java.time.ZoneId.of("UTC"));
        assertThat(from(Map.of("s3logs.fetch.key-time-zone", "Europe/Berlin")).keyTimeZone())
                .isEqualTo(java.time.ZoneId.of("Europe/Berlin"));
        assertThatThrownBy(() -> from(Map.of("s3logs.fetch.key-time-zone", "Berlin")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("s3logs.fetch.key-time-zone")
                .hasMessageContaining("'Berlin'");
    }
}
