package io.s3logroutes.cluster;

import java.util.Optional;

import io.s3logroutes.config.ConfigException;
import io.s3logroutes.config.Props;
import io.s3logroutes.config.StartupException;
import io.s3logroutes.observe.Metrics;
import io.s3logroutes.observe.ObserveBeans;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.spi.RoutePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the cluster service of {@code s3logs.cluster.kind} to the CamelContext and binds the route policies
 * {@code fetchClusterPolicy} and {@code collapseClusterPolicy} that {@code routes/fetch-s3.camel.yaml} and
 * {@code routes/collapse-s3.camel.yaml} name. A policy is Camel's {@link ClusteredRoutePolicy} (the route runs only
 * on the instance that leads its election) when a cluster service is configured and the flow is on here; otherwise
 * a {@link NoClusterPolicy}. An instance with a flow off therefore never takes part in that flow's election.
 */
public final class ClusterBeans {

    private static final Logger LOG = LoggerFactory.getLogger("io.s3logroutes.cluster");

    public static final String FETCH_POLICY = "fetchClusterPolicy";
    public static final String COLLAPSE_POLICY = "collapseClusterPolicy";

    private ClusterBeans() {
    }

    public static void register(CamelContext context, Props props, String bucket) {
        ClusterSettings settings = ClusterSettings.from(props);
        Optional<CamelClusterService> service = ClusterServices.create(settings);
        String fetchNs = settings.fetchNamespace()
                .orElseGet(() -> ClusterNamespaces.fetch(bucket, props.string("s3logs.fetch.prefix", "")));
        String collapseNs = settings.collapseNamespace()
                .orElseGet(() -> ClusterNamespaces.collapse(bucket, props.string("s3logs.collapse.input-prefix", "")));
        boolean fetch = props.bool("s3logs.fetch.enabled", false);
        boolean collapse = props.bool("s3logs.collapse.enabled", false);
        if (service.isPresent()) {
            for (String flow : new String[] {"fetch", "collapse"}) {
                String silence = "s3logs.health." + flow + "-max-silence";
                if (props.bool("s3logs." + flow + ".enabled", false) && props.raw(silence).isPresent()) {
                    throw new ConfigException(silence + " cannot be used with"
                            + " s3logs.cluster.kind=" + settings.kind() + ": an instance that is not elected never runs "
                            + flow + ", so its health would be DOWN; watch s3logs.cluster.leader and"
                            + " s3logs.last.success.seconds instead");
                }
            }
            CamelClusterService cs = service.get();
            try {
                // Added here, in the CamelConfiguration: a cluster service declared under camel.beans is not
                // picked up by Camel Main 4.18.
                context.addService(cs, true, true);
            } catch (Exception e) {
                throw new StartupException("cannot add the " + settings.kind() + " cluster service: " + e.getMessage(), e);
            }
            Metrics metrics = ObserveBeans.metrics(context);
            metrics.gauge("s3logs.cluster.leader", "1 while this instance leads the flow's election, else 0",
                    () -> fetch && cs.isLeader(fetchNs) ? 1 : 0, "flow", "fetch");
            metrics.gauge("s3logs.cluster.leader", "1 while this instance leads the flow's election, else 0",
                    () -> collapse && cs.isLeader(collapseNs) ? 1 : 0, "flow", "collapse");
            LOG.info("Cluster: kind {}{}, node {}, heartbeat {}, leader timeout {}; fetch {}, collapse {};"
                            + " ship runs on every instance", settings.kind(),
                    settings.lockDir().map(d -> " in " + d.toAbsolutePath().normalize()).orElse(""), settings.nodeId(),
                    settings.heartbeatInterval().toMillis() + "ms", settings.leaderTimeout().toMillis() + "ms",
                    fetch ? "elected as " + fetchNs : "off here", collapse ? "elected as " + collapseNs : "off here");
        }
        context.getRegistry().bind(FETCH_POLICY, RoutePolicy.class, policy(context, service, fetch, fetchNs));
        context.getRegistry().bind(COLLAPSE_POLICY, RoutePolicy.class, policy(context, service, collapse, collapseNs));
    }

    static RoutePolicy policy(CamelContext context, Optional<CamelClusterService> service, boolean flowOn,
                              String namespace) {
        if (service.isEmpty() || !flowOn) {
            return new NoClusterPolicy();
        }
        try {
            ClusteredRoutePolicy p = ClusteredRoutePolicy.forNamespace(service.get(), namespace);
            p.setCamelContext(context);
            return p;
        } catch (Exception e) {
            throw new StartupException("cannot make the cluster route policy for " + namespace + ": " + e.getMessage(), e);
        }
    }
}
