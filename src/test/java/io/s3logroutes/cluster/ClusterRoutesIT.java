package io.s3logroutes.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.s3logroutes.testing.App;
import io.s3logroutes.testing.ShipProps;
import io.s3logroutes.testing.TestS3;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances in one JVM with {@code s3logs.cluster.kind=file}: ship runs on both, fetch on the elected one only,
 * and an instance stopped cleanly hands fetch to the other. A flow that is off takes no part in any election.
 */
class ClusterRoutesIT {

    static final List<String> SHIP_ROUTES = List.of("ship-file", "ship-tail", "ship-flush", "ship-upload", "ship-put");

    @TempDir
    Path work;

    @Test
    void shipRunsEverywhereFetchOnlyOnTheLeaderAndMovesWhenItStops() throws Exception {
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("cluster-routes");
        Path locks = work.resolve("locks");
        App a = App.start(props(s3, bucket, "node-a", locks));
        App b = null;
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> status(a.context(), "fetch-s3") == ServiceStatus.Started);
            b = App.start(props(s3, bucket, "node-b", locks));
            CamelContext bc = b.context();
            for (String r : SHIP_ROUTES) {
                assertThat(status(a.context(), r)).as("A " + r).isEqualTo(ServiceStatus.Started);
                assertThat(status(bc, r)).as("B " + r).isEqualTo(ServiceStatus.Started);
            }
            ClusteredRoutePolicy fa = a.context().getRegistry().lookupByNameAndType("fetchClusterPolicy",
                    ClusteredRoutePolicy.class);
            ClusteredRoutePolicy fb = bc.getRegistry().lookupByNameAndType("fetchClusterPolicy",
                    ClusteredRoutePolicy.class);
            assertThat(fa.isLeader()).isTrue();
            // B has joined the election (its lock attempts run) and stays a follower
            await().atMost(Duration.ofSeconds(30)).until(() -> bc.hasService(
                    org.apache.camel.component.file.cluster.FileLockClusterService.class)
                    .getNamespaces().contains(ClusterNamespaces.fetch(bucket, "F/")));
            assertThat(fb.isLeader()).isFalse();
            assertThat(status(bc, "fetch-s3")).isEqualTo(ServiceStatus.Stopped);

            // collapse is off: no policy of Camel's, no election, no lock file
            assertThat(bc.getRegistry().lookupByName("collapseClusterPolicy")).isInstanceOf(NoClusterPolicy.class);
            assertThat(bc.getRoute("collapse-s3")).isNull();
            try (var files = Files.list(locks)) {
                assertThat(files.map(f -> f.getFileName().toString()).toList())
                        .allSatisfy(n -> assertThat(n).startsWith("s3logs-fetch-"));
            }

            a.close();
            long stopped = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).until(() -> status(bc, "fetch-s3") == ServiceStatus.Started);
            System.out.printf("cluster routes IT: fetch moved to B %.1f s after A stopped%n",
                    (System.nanoTime() - stopped) / 1e9);
            assertThat(fb.isLeader()).isTrue();
        } finally {
            a.close();
            if (b != null) {
                b.close();
            }
        }
    }

    @Test
    void aSilenceLimitOfAnElectedFlowIsRefused() {
        TestS3 s3 = TestS3.shared();
        String bucket = s3.newBucket("cluster-silence");
        Map<String, String> p = props(s3, bucket, "node-a", work.resolve("locks"));
        p.put("s3logs.health.fetch-max-silence", "10m");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> App.start(p).close())
                .hasStackTraceContaining("s3logs.health.fetch-max-silence cannot be used with s3logs.cluster.kind=file");
    }

    private Map<String, String> props(TestS3 s3, String bucket, String node, Path locks) {
        Path dir = work.resolve(node);
        Map<String, String> p = new HashMap<>(s3.appProperties(bucket));
        p.putAll(ShipProps.under(dir, node.toUpperCase()));
        p.put("s3logs.cluster.kind", "file");
        p.put("s3logs.cluster.lock-dir", locks.toString());
        p.put("s3logs.cluster.node-id", node);
        p.put("s3logs.cluster.heartbeat-interval", "300ms");
        p.put("s3logs.cluster.leader-timeout", "2s");
        p.put("s3logs.fetch.enabled", "true");
        p.put("s3logs.fetch.prefix", "F/");
        p.put("s3logs.fetch.poll-interval", "500ms");
        p.put("s3logs.fetch.output-file", work.resolve("out.log").toString());
        p.put("s3logs.fetch.checkpoint-file", work.resolve("lastkey.log").toString());
        p.put("s3logs.fetch.failed-file", work.resolve("failed.log").toString());
        p.put("s3logs.ship.tail", dir.resolve("tail/*.log").toString());
        return p;
    }

    private static ServiceStatus status(CamelContext c, String route) {
        return c.getRouteController().getRouteStatus(route);
    }
}
