package io.s3logroutes.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.s3logroutes.config.ConfigException;
import io.s3logroutes.config.Props;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterSettingsTest {

    static ClusterSettings settings(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return ClusterSettings.from(new Props(k -> Optional.ofNullable(m.get(k))));
    }

    @Test
    void defaultsAreNoClusterWithCamelsKubernetesTimings() {
        ClusterSettings s = settings();
        assertThat(s.kind()).isEqualTo(ClusterSettings.Kind.NONE);
        assertThat(s.heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.leaderTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.heartbeatTimeoutMultiplier()).isEqualTo(8);
        assertThat(s.nodeId()).endsWith("-" + ProcessHandle.current().pid());
        assertThat(s.kubernetes().labels()).containsExactly(Map.entry("app", "s3-log-routes"));
        assertThat(s.kubernetes().leasePrefix()).isEqualTo("leader");
        assertThat(s.kubernetes().namespace()).isEmpty();
        assertThat(ClusterServices.create(s)).isEmpty();
    }

    @Test
    void fileNeedsALockDirectory() {
        assertThatThrownBy(() -> settings("s3logs.cluster.kind", "file")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("s3logs.cluster.lock-dir is required");
        assertThat(settings("s3logs.cluster.kind", "file", "s3logs.cluster.lock-dir", "/shared/locks").lockDir())
                .contains(Path.of("/shared/locks"));
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> settings("s3logs.cluster.kind", "zookeeper")).hasMessageContaining("s3logs.cluster.kind");
        assertThatThrownBy(() -> settings("s3logs.cluster.heartbeat-interval", "5s", "s3logs.cluster.leader-timeout", "8s"))
                .hasMessageContaining("s3logs.cluster.leader-timeout (8000ms) must be more than twice");
        assertThatThrownBy(() -> settings("s3logs.cluster.heartbeat-interval", "10ms"))
                .hasMessageContaining("s3logs.cluster.heartbeat-interval must be at least 100ms");
        assertThatThrownBy(() -> settings("s3logs.cluster.kubernetes.labels", "app"))
                .hasMessageContaining("s3logs.cluster.kubernetes.labels must be comma-separated name=value pairs");
        assertThatThrownBy(() -> settings("s3logs.cluster.kubernetes.lease-prefix", "Leader_"))
                .hasMessageContaining("s3logs.cluster.kubernetes.lease-prefix");
        assertThatThrownBy(() -> settings("s3logs.cluster.fetch-namespace", "Fetch/A"))
                .hasMessageContaining("s3logs.cluster.fetch-namespace");
    }

    @Test
    void kubernetesNodeIsThePodNameAndLabelsAreParsed() {
        ClusterSettings s = settings("s3logs.cluster.kind", "kubernetes", "s3logs.cluster.node-id", "logs-7d9f-abcde",
                "s3logs.cluster.kubernetes.labels", "app=logs, tier=collect");
        assertThat(s.nodeId()).isEqualTo("logs-7d9f-abcde");
        assertThat(s.kubernetes().labels()).containsExactly(Map.entry("app", "logs"), Map.entry("tier", "collect"));
        assertThat(ClusterSettings.defaultNodeId(ClusterSettings.Kind.KUBERNETES)).doesNotContain(
                "-" + ProcessHandle.current().pid());
    }

    @Test
    void fileTimeoutIsRoundedUpToWholeHeartbeats() {
        ClusterSettings s = settings("s3logs.cluster.heartbeat-interval", "500ms", "s3logs.cluster.leader-timeout", "3200ms");
        assertThat(s.heartbeatTimeoutMultiplier()).isEqualTo(7);
    }
}
