package io.s3logroutes.cluster;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.junit.jupiter.api.Test;

import static io.s3logroutes.cluster.ClusterSettingsTest.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The cluster service each kind builds, with its settings (no Kubernetes cluster is contacted). */
class ClusterServicesTest {

    @Test
    void fileLockServiceInTheSharedDirectory() {
        CamelClusterService s = ClusterServices.create(settings("s3logs.cluster.kind", "file",
                "s3logs.cluster.lock-dir", "/shared/locks", "s3logs.cluster.node-id", "host-a",
                "s3logs.cluster.heartbeat-interval", "1s", "s3logs.cluster.leader-timeout", "5s")).orElseThrow();
        assertThat(s).isInstanceOf(FileLockClusterService.class);
        FileLockClusterService f = (FileLockClusterService) s;
        assertThat(f.getId()).isEqualTo("host-a");
        assertThat(f.getRoot()).isEqualTo("/shared/locks");
        assertThat(TimeUnit.MILLISECONDS.convert(f.getAcquireLockInterval(), f.getAcquireLockIntervalUnit()))
                .isEqualTo(1000);
        assertThat(f.getHeartbeatTimeoutMultiplier()).isEqualTo(5);
    }

    @Test
    void kubernetesLeaseServiceForThisPod() {
        CamelClusterService s = ClusterServices.create(settings("s3logs.cluster.kind", "kubernetes",
                "s3logs.cluster.node-id", "s3-log-routes-6c7f9-x2k4q", "s3logs.cluster.kubernetes.namespace", "logging",
                "s3logs.cluster.kubernetes.lease-prefix", "s3logs", "s3logs.cluster.kubernetes.labels",
                "app=s3-log-routes")).orElseThrow();
        assertThat(s).isInstanceOf(KubernetesClusterService.class);
        KubernetesClusterService k = (KubernetesClusterService) s;
        assertThat(k.getId()).isEqualTo("s3-log-routes-6c7f9-x2k4q");
        assertThat(k.getPodName()).isEqualTo("s3-log-routes-6c7f9-x2k4q");
        assertThat(k.getLeaseResourceType()).isEqualTo(LeaseResourceType.Lease);
        assertThat(k.getKubernetesResourcesNamespace()).isEqualTo("logging");
        assertThat(k.getKubernetesResourceName()).isEqualTo("s3logs");
        assertThat(k.getClusterLabels()).isEqualTo(Map.of("app", "s3-log-routes"));
        assertThat(k.getRetryPeriodMillis()).isEqualTo(2000);
        assertThat(k.getLeaseDurationMillis()).isEqualTo(15000);
        assertThat(k.getRenewDeadlineMillis()).isEqualTo(10000);
        // Camel's own checks of these timings, which run when the first election starts
        assertThat(k.getRenewDeadlineMillis()).isLessThan(k.getLeaseDurationMillis())
                .isGreaterThan((long) (k.getJitterFactor() * k.getRetryPeriodMillis()));
    }

    @Test
    void theKubernetesClientBuildsWithoutTheOpenShiftClient() {
        // the election's client, as camel-kubernetes makes it (no master URL: the pod's service account)
        org.apache.camel.component.kubernetes.KubernetesConfiguration c =
                new org.apache.camel.component.kubernetes.KubernetesConfiguration();
        try (io.fabric8.kubernetes.client.KubernetesClient client =
                     org.apache.camel.component.kubernetes.KubernetesHelper.getKubernetesClient(c)) {
            assertThat(client.leases().inNamespace("logging").withName("leader-s3logs-fetch-x")).isNotNull();
            assertThat(client.pods().inNamespace("logging").withLabels(Map.of("app", "s3-log-routes"))).isNotNull();
        }
        assertThatCode(() -> Class.forName("io.fabric8.openshift.client.OpenShiftClient"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void kubernetesWithoutNamespaceUsesThePodsOwn() {
        KubernetesClusterService k = (KubernetesClusterService) ClusterServices.create(
                settings("s3logs.cluster.kind", "kubernetes", "s3logs.cluster.node-id", "pod-1")).orElseThrow();
        assertThat(k.getKubernetesResourcesNamespace()).isNull();
    }
}
