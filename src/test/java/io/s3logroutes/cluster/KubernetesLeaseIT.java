package io.s3logroutes.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.s3logroutes.fetch.Checkpoint;
import io.s3logroutes.testing.ChildJvm;
import io.s3logroutes.testing.FetchProps;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code s3logs.cluster.kind=kubernetes} against a Kubernetes API server: fabric8's mock server in CRUD mode on
 * 127.0.0.1, which stores the {@code coordination.k8s.io/v1} Lease and the pods and answers a stale
 * {@code resourceVersion} with 409, as the optimistic locking of Camel's Lease election needs. Each instance is a
 * child JVM of the application with its own pod name; the test plays the kubelet: it creates each instance's pod,
 * running and ready, before the instance starts, deletes the pod once its process has stopped cleanly, and marks it
 * not ready once its process was killed.
 *
 * <p>Two instances elect the fetch flow's leader over one Lease; the leader is closed (SIGTERM), then, after a third
 * instance has joined, the new leader is killed (kill -9). Each time the other instance takes the Lease within the
 * lease time ({@code s3logs.cluster.leader-timeout}) of the pod's going, and, as Camel does, starts its routes one
 * lease time after it took the Lease. While the killed leader's pod is still ready, nobody takes the Lease, even once
 * its renew time is older than the lease time: Camel's election goes by the ready pods, not by the renew time. The
 * gauge {@code s3logs_cluster_leader{flow="fetch"}} is read on every live instance all along (never two at 1), and
 * only the leader fetches.
 */
class KubernetesLeaseIT {

    static final String NS = "s3logs-it";
    static final long HEARTBEAT_MS = 500;
    static final long LEASE_MS = 3000;
    /** Camel waits up to {@code heartbeat x jitter (1.2)} between two looks at the Lease and the pods. */
    static final long LOOK_MS = HEARTBEAT_MS * 6 / 5;
    /** Room for this test's own polling (every 50 ms), the HTTP round trips and a loaded machine. */
    static final long SLACK_MS = 2000;
    static final Pattern FETCHED = Pattern.compile("(?m)Fetch: (F/\\S+) -> ");
    static final String CONTROLLER = "org.apache.camel.component.kubernetes.cluster.lock.KubernetesLeadershipController";
    static final Pattern GAUGE = Pattern.compile("(?m)^s3logs_cluster_leader\\{[^}]*flow=\"fetch\"[^}]*} (\\S+)$");

    @TempDir
    Path work;

    final TestS3 s3 = TestS3.shared();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final NowKeys keys = new NowKeys();
    final List<String> expected = new ArrayList<>();
    final Map<String, Instance> live = new ConcurrentHashMap<>();
    final List<Instance> started = new CopyOnWriteArrayList<>();
    /** Sampling rounds of the leader gauge of every live instance: instance name to value. */
    final List<Map<String, Double>> rounds = new CopyOnWriteArrayList<>();

    KubernetesMockServer server;
    KubernetesClient kube;
    ScheduledExecutorService sampler;
    String bucket;
    String lease;
    int objects;

    @BeforeEach
    void startApiServer() {
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        kube = server.createClient(b -> b.withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(masterUrl())
                .withNamespace(NS).withHttp2Disable(true).build()));
    }

    @AfterEach
    void stopAll() throws Exception {
        if (sampler != null) {
            sampler.shutdownNow();
        }
        for (Instance i : started) {
            i.process.destroyForcibly();
            i.process.waitFor(30, TimeUnit.SECONDS);
            Path dir = Path.of("target", "kubernetes-lease-it");
            Files.createDirectories(dir);
            if (Files.exists(i.log)) {
                Files.copy(i.log, dir.resolve(i.name + ".log"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        kube.close();
        server.destroy();
    }

    @Test
    void theOtherInstanceTakesTheLeaseWhenTheLeaderIsClosedThenKilled() throws Exception {
        theApiServerLocksOptimistically();
        bucket = s3.newBucket("k8s-lease");
        lease = "leader-" + ClusterNamespaces.fetch(bucket, "F/");
        long t0 = System.nanoTime();

        // two instances, started together; the first to create the Lease leads
        Instance a = start("pod-a");
        Instance b = start("pod-b");
        sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleWithFixedDelay(this::sample, 0, 100, TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> alive(a, b)
                && a.gauge().orElse(0) + b.gauge().orElse(0) == 1.0 && holder().isPresent());
        double started2 = seconds(t0);
        Instance first = leader(a) == 1.0 ? a : b;
        Instance second = first == a ? b : a;
        assertThat(holder()).as("the Lease names the instance whose gauge is 1").contains(first.name);
        assertThat(kube.leases().inNamespace(NS).withName(lease).get().getSpec().getLeaseDurationSeconds())
                .as("lease duration = s3logs.cluster.leader-timeout").isEqualTo((int) (LEASE_MS / 1000));
        assertThat(leader(second)).as(second.name + " follows").isZero();
        // a follower is ready and live (its fetch route is stopped by the election, not down), so it stays a
        // candidate of the election and is not restarted
        ready(second);
        assertThat(status(second, "/observe/health/live")).as(second.name + " live").isEqualTo(200);
        ready(first);
        List<String> keysOfFirst = fetchAll();
        assertThat(fetchedBy(second)).as(second.name + " fetched nothing while " + first.name + " leads").isEmpty();
        assertThat(fetchedBy(first)).isEqualTo(keysOfFirst);

        // closed: SIGTERM, a clean stop; its pod goes away once the process has ended. The pod that replaces it starts
        // meanwhile, and is ready (a candidate) once the other leads.
        Instance c = launch("pod-c");
        Takeover closed = takeover(first, second, false);
        createReadyPod(c.name);
        // pod-c has looked at the Lease and the pods twice as a candidate, and seen the leader there
        Pattern sawLeader = Pattern.compile("Current leader info: LeaderInfo\\{groupName='"
                + ClusterNamespaces.fetch(bucket, "F/") + "', leader='" + second.name + "'[^}]*members=\\[[^\\]]*"
                + c.name);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> alive(c) && sawLeader.matcher(read(c.log)).results().count() >= 2 && c.metricsAnswer());
        assertThat(leader(c)).as("pod-c follows").isZero();
        assertThat(leader(second)).as(second.name + " still leads").isEqualTo(1.0);
        assertThat(holder()).contains(second.name);
        ready(c);
        List<String> keysOfSecond = new ArrayList<>(closed.fetchedAfter);
        keysOfSecond.addAll(fetchAll());
        assertThat(fetchedBy(c)).as("pod-c fetched nothing").isEmpty();
        assertThat(fetchedBy(second)).as(second.name + " fetched what was written after the stop")
                .isEqualTo(keysOfSecond);

        // killed: kill -9, its container is gone (the pod is no longer ready)
        Takeover killed = takeover(second, c, true);
        assertThat(fetchedBy(c)).as("pod-c fetched what was written after the kill").isEqualTo(killed.fetchedAfter);
        sampler.shutdownNow();
        assertThat(sampler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        List<String> out = Files.readAllLines(work.resolve("shared/out.log"), StandardCharsets.UTF_8);
        assertThat(out).as("every event exactly once, in key order").containsExactlyElementsOf(expected);
        assertThat(work.resolve("shared/failed.log")).doesNotExist();
        assertThat(rounds).as("gauge samples").hasSizeGreaterThan(20)
                .allSatisfy(r -> assertThat(r.values().stream().filter(v -> v == 1.0).count())
                        .as("instances at leader 1 in one sampling round " + r).isLessThanOrEqualTo(1));
        Lease l = kube.leases().inNamespace(NS).withName(lease).get();
        assertThat(l.getSpec().getHolderIdentity()).isEqualTo(c.name);
        assertThat(l.getSpec().getLeaseTransitions()).as("two transitions: to " + second.name + ", to pod-c")
                .isEqualTo(2);
        System.out.printf("kubernetes lease IT: heartbeat %d ms, lease %d ms; %s led %.1f s after the start;"
                        + " closed: %s; killed: %s; %d gauge rounds; %.1f s in all%n", HEARTBEAT_MS, LEASE_MS,
                first.name, started2, closed, killed, rounds.size(), seconds(t0));
        c.process.destroy();
        assertThat(c.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    /** The mock server refuses an update based on a stale resourceVersion (409), as Camel's election expects. */
    private void theApiServerLocksOptimistically() {
        Lease l = kube.leases().inNamespace(NS).resource(new LeaseBuilder().withNewMetadata().withName("probe")
                .endMetadata().withNewSpec().withHolderIdentity("x").endSpec().build()).create();
        kube.leases().inNamespace(NS).resource(new LeaseBuilder(l).editSpec().withHolderIdentity("y").endSpec()
                .build()).lockResourceVersion(l.getMetadata().getResourceVersion()).update();
        assertThatThrownBy(() -> kube.leases().inNamespace(NS).resource(new LeaseBuilder(l).editSpec()
                .withHolderIdentity("z").endSpec().build()).lockResourceVersion(l.getMetadata().getResourceVersion())
                .update()).isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409));
        assertThat(kube.leases().inNamespace(NS).withName("probe").get().getSpec().getHolderIdentity())
                .isEqualTo("y");
        kube.leases().inNamespace(NS).withName("probe").delete();
    }

    record Takeover(double leaseTaken, double leading, List<String> fetchedAfter) {
        @Override
        public String toString() {
            return String.format("Lease taken %.2f s and gauge 1 %.2f s after the pod left", leaseTaken, leading);
        }
    }

    /**
     * Stops the leader (SIGTERM or kill -9), then as the kubelet would: deletes its pod after a clean stop, marks it
     * not ready after a kill. Measures from then until the follower holds the Lease and until its gauge is 1.
     */
    private Takeover takeover(Instance leader, Instance follower, boolean kill) throws Exception {
        assertThat(leader(leader)).isEqualTo(1.0);
        assertThat(leader(follower)).isZero();
        live.remove(leader.name);
        if (kill) {
            leader.process.destroyForcibly();
        } else {
            leader.process.destroy();
        }
        assertThat(leader.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        if (!kill) {
            assertThat(leader.process.exitValue()).as(leader.name + " stopped cleanly; see " + leader.log)
                    .isIn(0, 143);
        }
        assertThat(holder()).as("a stop does not give the Lease up").contains(leader.name);
        if (kill) {
            // Camel's election does not look at the Lease's renew time: while the killed leader's pod is ready,
            // nobody takes the Lease, even after its lease time has run out
            await().during(Duration.ofMillis(LEASE_MS + LOOK_MS)).atMost(Duration.ofMillis(LEASE_MS + LOOK_MS + 2000))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> holder().equals(Optional.of(leader.name)) && leader(follower) == 0.0);
            Lease l = kube.leases().inNamespace(NS).withName(lease).get();
            assertThat(l.getSpec().getRenewTime().plusSeconds(l.getSpec().getLeaseDurationSeconds()))
                    .as("the Lease has expired by its renew time").isBefore(ZonedDateTime.now());
            kube.pods().inNamespace(NS).withName(leader.name).edit(p -> new PodBuilder(p).editStatus()
                    .withConditions(List.of()).addNewCondition().withType("Ready").withStatus("False").endCondition()
                    .endStatus().build());
        } else {
            kube.pods().inNamespace(NS).withName(leader.name).delete();
        }
        long gone = System.nanoTime();
        await().atMost(Duration.ofMillis(LEASE_MS)).pollInterval(Duration.ofMillis(50))
                .until(() -> holder().equals(Optional.of(follower.name)));
        double taken = seconds(gone);
        assertThat(leader(follower)).as("Camel waits one lease time before it starts the routes").isZero();
        await().atMost(Duration.ofMillis(LEASE_MS + LOOK_MS + SLACK_MS)).pollInterval(Duration.ofMillis(50))
                .until(() -> leader(follower) == 1.0);
        double leading = seconds(gone);
        assertThat(leading - taken).as("the wait of one lease time").isGreaterThan((LEASE_MS - 100) / 1000.0);
        // the new leader's fetch route runs
        return new Takeover(taken, leading, fetchAll());
    }

    /** Writes a few objects under F/, waits until the checkpoint names the last one, and returns their keys. */
    private List<String> fetchAll() {
        List<String> written = new ArrayList<>();
        String last = null;
        for (int i = 0; i < 5; i++) {
            last = keys.next();
            written.add(last);
            StringBuilder body = new StringBuilder();
            int o = ++objects;
            for (int j = 0; j < 1 + o % 3; j++) {
                String line = "object " + o + " line " + j;
                body.append(line).append('\n');
                expected.add(line);
            }
            String k = last;
            s3.client().putObject(r -> r.bucket(bucket).key(k).contentType("text/plain"),
                    RequestBody.fromString(body.toString(), StandardCharsets.UTF_8));
        }
        String k = last;
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> k.equals(checkpointKey()));
        return written;
    }

    /** A pod, running and ready, then its instance. */
    private Instance start(String pod) throws IOException {
        createReadyPod(pod);
        return launch(pod);
    }

    private void createReadyPod(String pod) {
        kube.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(pod)
                .addToLabels("app", "s3-log-routes").endMetadata().withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
    }

    /** The instance of a pod: a child JVM of the application, pointed at the API server. */
    private Instance launch(String pod) throws IOException {
        int port = freePort();
        Map<String, String> p = new LinkedHashMap<>(FetchProps.under(s3, bucket, work.resolve("shared"), "F/"));
        p.put("s3logs.fetch.settle", "2s"); // see NowKeys
        p.put("s3logs.http.enabled", "true");
        p.put("s3logs.http.port", String.valueOf(port));
        p.put("s3logs.cluster.kind", "kubernetes");
        p.put("s3logs.cluster.node-id", pod);
        p.put("s3logs.cluster.kubernetes.namespace", NS);
        p.put("s3logs.cluster.heartbeat-interval", HEARTBEAT_MS + "ms");
        p.put("s3logs.cluster.leader-timeout", LEASE_MS + "ms");
        p.put("s3logs.log.level.io.s3logroutes.fetch", "DEBUG");
        // each look at the Lease ("Current leader info: LeaderInfo{...}"), which LOOKED reads
        p.put("s3logs.log.level." + CONTROLLER, "DEBUG");
        // the fabric8 client's own configuration, as outside a cluster: the API server's URL, no kubeconfig, no
        // service account
        p.put("kubernetes.master", masterUrl());
        p.put("kubernetes.auth.tryKubeConfig", "false");
        p.put("kubernetes.auth.tryServiceAccount", "false");
        Path log = work.resolve(pod + ".log");
        Instance i = new Instance(pod, port, log, ChildJvm.start(work, log, p, s3.credentialsEnv()));
        started.add(i);
        live.put(pod, i);
        return i;
    }

    private void sample() {
        Map<String, Double> round = new LinkedHashMap<>();
        for (Instance i : live.values()) {
            i.gauge().ifPresent(v -> round.put(i.name, v));
        }
        if (round.size() > 1) {
            rounds.add(round);
        }
    }

    private boolean alive(Instance... is) {
        for (Instance i : is) {
            assertThat(i.process.isAlive()).as(i.name + " alive; see " + i.log).isTrue();
        }
        return true;
    }

    /** {@code /observe/health/ready} answers 200 (a polling consumer's check is DOWN until its first poll). */
    private void ready(Instance i) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> status(i, "/observe/health/ready") == 200);
    }

    private int status(Instance i, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + i.port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private double leader(Instance i) {
        return i.gauge().orElseThrow(() -> new AssertionError(i.name + " has no metrics; see " + i.log));
    }

    private Optional<String> holder() {
        Lease l = kube.leases().inNamespace(NS).withName(lease).get();
        return Optional.ofNullable(l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity());
    }

    private List<String> fetchedBy(Instance i) throws IOException {
        List<String> out = new ArrayList<>();
        Matcher m = FETCHED.matcher(read(i.log));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private String checkpointKey() throws IOException {
        try {
            return Checkpoint.parse(Files.readString(work.resolve("shared/lastkey.log"))).key().orElse("");
        } catch (NoSuchFileException e) {
            return "";
        }
    }

    private String masterUrl() {
        return "http://127.0.0.1:" + server.getPort() + "/";
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** One child JVM: its pod name, metrics port, log and process. */
    final class Instance {
        final String name;
        final int port;
        final Path log;
        final Process process;

        Instance(String name, int port, Path log, Process process) {
            this.name = name;
            this.port = port;
            this.log = log;
            this.process = process;
        }

        boolean metricsAnswer() {
            return gauge().isPresent();
        }

        /** {@code s3logs_cluster_leader{flow="fetch"}} from /observe/metrics; empty while it does not answer. */
        OptionalDouble gauge() {
            try {
                String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/observe/metrics")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = GAUGE.matcher(body);
                return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
            } catch (IOException e) {
                return OptionalDouble.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return OptionalDouble.empty();
            }
        }
    }
}
