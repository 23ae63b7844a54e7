package io.s3logroutes.syslog;

import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

import io.s3logroutes.config.ConfigException;
import io.s3logroutes.config.Props;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyslogSettingsTest {

    static SyslogSettings settings(Map<String, String> m) {
        return SyslogSettings.from(new Props(k -> Optional.ofNullable(m.get(k))));
    }

    @Test
    void defaults() {
        SyslogSettings s = settings(Map.of());
        assertThat(s.enabled()).isFalse();
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.maxFrameBytes()).isEqualTo(64 * 1024);
        assertThat(s.udpReceiveBuffer()).isEqualTo(4 << 20);
        assertThat(s.rfc3164TimeZone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(s.udpListens()).isFalse();
        assertThat(s.tcpListens()).isFalse();
    }

    @Test
    void anEmptyOrZeroPortSwitchesItsInputOff() {
        SyslogSettings s = settings(Map.of("s3logs.syslog.enabled", "true", "s3logs.syslog.udp-port", " ",
                "s3logs.syslog.tcp-port", "6514"));
        assertThat(s.udpListens()).isFalse();
        assertThat(s.tcpListens()).isTrue();
        assertThat(settings(Map.of("s3logs.syslog.enabled", "true", "s3logs.syslog.udp-port", "0",
                "s3logs.syslog.tcp-port", "1514")).udpListens()).isFalse();
        assertThat(settings(Map.of("s3logs.syslog.enabled", "false", "s3logs.syslog.tcp-port", "1514"))
                .tcpListens()).isFalse();
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> settings(Map.of("s3logs.syslog.max-frame-bytes", "100")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("s3logs.syslog.max-frame-bytes");
        assertThatThrownBy(() -> settings(Map.of("s3logs.syslog.udp-port", "70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("s3logs.syslog.udp-port");
        assertThatThrownBy(() -> settings(Map.of("s3logs.syslog.rfc3164-time-zone", "Mars/Base")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("s3logs.syslog.rfc3164-time-zone");
        assertThatThrownBy(() -> settings(Map.of("s3logs.syslog.udp-receive-buffer", "lots")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("s3logs.syslog.udp-receive-buffer");
    }
}
