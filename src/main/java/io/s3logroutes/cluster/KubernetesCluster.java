package io.s3logroutes.cluster;

import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;

/**
 * Kind {@code kubernetes}: one {@code coordination.k8s.io/v1} Lease per election, named
 * {@code <lease-prefix>-<election>}, in the pods' namespace. Candidates are the running, ready pods with the
 * configured labels; the node id must be the pod's name (the default, from {@code HOSTNAME}).
 */
final class KubernetesCluster {

    private KubernetesCluster() {
    }

    static KubernetesClusterService service(ClusterSettings s) {
        KubernetesClusterService k = new KubernetesClusterService();
        k.setId(s.nodeId());
        k.setPodName(s.nodeId());
        k.setLeaseResourceType(LeaseResourceType.Lease);
        k.setKubernetesResourceName(s.kubernetes().leasePrefix());
        s.kubernetes().namespace().ifPresent(k::setKubernetesResourcesNamespace);
        k.setClusterLabels(s.kubernetes().labels());
        k.setRetryPeriodMillis(s.heartbeatInterval().toMillis());
        k.setLeaseDurationMillis(s.leaderTimeout().toMillis());
        k.setRenewDeadlineMillis(s.renewDeadline().toMillis());
        return k;
    }
}
