package io.s3logroutes.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.s3logroutes.config.ConfigException;
import io.s3logroutes.config.Props;

/**
 * The {@code s3logs.cluster.*} settings: which cluster service elects the one instance that runs fetch (per bucket
 * and prefix) and the collapse schedule (per bucket and input prefix). Ship runs on every instance regardless.
 *
 * @param kind              {@code none}, {@code file} or {@code kubernetes}
 * @param lockDir           {@code file}: the directory on storage every instance shares
 * @param nodeId            this instance's name in the cluster (for {@code kubernetes} it must be the pod's name)
 * @param heartbeatInterval how often the leader renews its claim and followers look at it
 * @param leaderTimeout     how long a leader may stay silent before another instance takes over
 * @param fetchNamespace    override of the fetch flow's election name (empty: derived from bucket and prefix)
 * @param collapseNamespace override of the collapse flow's election name (empty: derived from bucket and prefix)
 * @param kubernetes        settings of kind {@code kubernetes}
 */
public record ClusterSettings(Kind kind, Optional<Path> lockDir, String nodeId, Duration heartbeatInterval,
                              Duration leaderTimeout, Optional<String> fetchNamespace,
                              Optional<String> collapseNamespace, Kubernetes kubernetes) {

    /** Which cluster service, if any. */
    public enum Kind {
        NONE, FILE, KUBERNETES;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param namespace   the Kubernetes namespace of the leases and pods (empty: the pod's own namespace)
     * @param leasePrefix the Lease of an election is named {@code <leasePrefix>-<election name>}
     * @param labels      the labels that select this application's pods (the candidates)
     */
    public record Kubernetes(Optional<String> namespace, String leasePrefix, Map<String, String> labels) {
    }

    /** Kubernetes requires renew deadline &lt; lease duration; Camel's defaults keep this 2:3 ratio (10s of 15s). */
    public Duration renewDeadline() {
        return leaderTimeout.multipliedBy(2).dividedBy(3);
    }

    /** The file service declares a leader stale after {@code heartbeat interval x multiplier}. */
    public int heartbeatTimeoutMultiplier() {
        long hb = heartbeatInterval.toMillis();
        return (int) Math.max(1, (leaderTimeout.toMillis() + hb - 1) / hb);
    }

    public static ClusterSettings from(Props p) {
        Kind kind = p.choice("s3logs.cluster.kind", "none", Kind.class);
        Optional<Path> lockDir = p.raw("s3logs.cluster.lock-dir").map(Path::of);
        if (kind == Kind.FILE && lockDir.isEmpty()) {
            throw new ConfigException("s3logs.cluster.lock-dir is required with s3logs.cluster.kind=file"
                    + " (a directory on storage that every instance shares)");
        }
        Duration heartbeat = p.duration("s3logs.cluster.heartbeat-interval", "2s");
        Duration timeout = p.duration("s3logs.cluster.leader-timeout", "15s");
        if (heartbeat.toMillis() < 100) {
            throw new ConfigException("s3logs.cluster.heartbeat-interval must be at least 100ms, got "
                    + heartbeat.toMillis() + "ms");
        }
        // Kubernetes needs renew deadline (2/3 of the timeout) > 1.2 x retry period (the heartbeat).
        if (timeout.toMillis() * 2 / 3 <= heartbeat.toMillis() * 6 / 5) {
            throw new ConfigException("s3logs.cluster.leader-timeout (" + timeout.toMillis()
                    + "ms) must be more than twice s3logs.cluster.heartbeat-interval (" + heartbeat.toMillis() + "ms)");
        }
        String node = p.string("s3logs.cluster.node-id", defaultNodeId(kind));
        Kubernetes k8s = new Kubernetes(p.raw("s3logs.cluster.kubernetes.namespace"),
                p.string("s3logs.cluster.kubernetes.lease-prefix", "leader"),
                labels("s3logs.cluster.kubernetes.labels", p.string("s3logs.cluster.kubernetes.labels",
                        "app=s3-log-routes")));
        if (!ClusterNamespaces.isDnsName(k8s.leasePrefix())) {
            throw new ConfigException("s3logs.cluster.kubernetes.lease-prefix must be lower-case letters, digits and"
                    + " '-' (part of a Kubernetes object name), got '" + k8s.leasePrefix() + "'");
        }
        return new ClusterSettings(kind, lockDir, node, heartbeat, timeout,
                namespace(p, "s3logs.cluster.fetch-namespace"), namespace(p, "s3logs.cluster.collapse-namespace"), k8s);
    }

    private static Optional<String> namespace(Props p, String key) {
        Optional<String> v = p.raw(key);
        if (v.isPresent() && !ClusterNamespaces.isDnsName(v.get())) {
            throw new ConfigException(key + " must be 1 to 63 lower-case letters, digits and '-' (a file name and a"
                    + " Kubernetes object name), got '" + v.get() + "'");
        }
        return v;
    }

    static Map<String, String> labels(String key, String v) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : v.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new ConfigException(key + " must be comma-separated name=value pairs, got '" + v + "'");
            }
            out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        if (out.isEmpty()) {
            throw new ConfigException(key + " must name at least one label (name=value), got '" + v + "'");
        }
        return out;
    }

    /** Kubernetes: the pod's name (its host name); otherwise the host name and the process id. */
    static String defaultNodeId(Kind kind) {
        String host = Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank()).orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        });
        if (kind == Kind.KUBERNETES) {
            return host;
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
