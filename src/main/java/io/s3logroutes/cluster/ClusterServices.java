package io.s3logroutes.cluster;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;

/** Builds the Camel cluster service that {@code s3logs.cluster.kind} names (none for {@code none}). */
public final class ClusterServices {

    private ClusterServices() {
    }

    public static Optional<CamelClusterService> create(ClusterSettings s) {
        return switch (s.kind()) {
            case NONE -> Optional.empty();
            case FILE -> Optional.of(file(s));
            // A class of its own, so that the Kubernetes client is loaded only for this kind.
            case KUBERNETES -> Optional.of(KubernetesCluster.service(s));
        };
    }

    /**
     * A lock file per election under the lock directory. The leader holds an OS file lock on it and writes a
     * heartbeat every {@code heartbeat-interval}; a follower takes over once the lock is free and the heartbeat is
     * older than {@code leader-timeout} (rounded up to a whole number of intervals).
     */
    static FileLockClusterService file(ClusterSettings s) {
        FileLockClusterService f = new FileLockClusterService();
        f.setId(s.nodeId());
        f.setRoot(s.lockDir().orElseThrow().toAbsolutePath().normalize().toString());
        f.setAcquireLockInterval(s.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
        f.setAcquireLockDelay(s.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
        f.setHeartbeatTimeoutMultiplier(s.heartbeatTimeoutMultiplier());
        return f;
    }
}
