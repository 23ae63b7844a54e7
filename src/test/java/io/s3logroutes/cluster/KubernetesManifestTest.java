package io.s3logroutes.cluster;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/kubernetes/deployment.yaml parses as Kubernetes objects and gives the election what it needs. */
class KubernetesManifestTest {

    @Test
    void deploymentRbacAndSharedVolumeFitTheClusterSettings() throws Exception {
        List<HasMetadata> objects;
        try (InputStream in = Files.newInputStream(Path.of("docs/kubernetes/deployment.yaml"))) {
            Object parsed = new KubernetesSerialization().unmarshal(in);
            @SuppressWarnings("unchecked")
            List<HasMetadata> list = parsed instanceof List<?> l ? (List<HasMetadata>) l : List.of((HasMetadata) parsed);
            objects = list;
        }
        Map<String, HasMetadata> byKind = objects.stream().collect(Collectors.toMap(HasMetadata::getKind, o -> o));
        assertThat(byKind).containsOnlyKeys("ServiceAccount", "Role", "RoleBinding", "PersistentVolumeClaim",
                "Deployment");
        assertThat(objects).extracting(o -> o.getMetadata().getNamespace()).containsOnly("logging");

        Role role = (Role) byKind.get("Role");
        PolicyRule leases = rule(role, "coordination.k8s.io", "leases");
        assertThat(leases.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch", "create", "update", "patch");
        assertThat(rule(role, "", "pods").getVerbs()).containsExactlyInAnyOrder("get", "list");

        ServiceAccount sa = (ServiceAccount) byKind.get("ServiceAccount");
        RoleBinding binding = (RoleBinding) byKind.get("RoleBinding");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo(sa.getMetadata().getName());
        });

        Deployment d = (Deployment) byKind.get("Deployment");
        var pod = d.getSpec().getTemplate();
        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo(sa.getMetadata().getName());
        ClusterSettings defaults = ClusterSettingsTest.settings();
        assertThat(pod.getMetadata().getLabels()).containsAllEntriesOf(defaults.kubernetes().labels());
        assertThat(d.getSpec().getReplicas()).isGreaterThan(1);
        Map<String, String> env = pod.getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertThat(env).containsEntry("S3LOGS_CLUSTER_KIND", "kubernetes")
                .containsEntry("S3LOGS_CLUSTER_NODE_ID", "$(POD_NAME)")
                .containsEntry("S3LOGS_SHIP_SERVER", "$(POD_NAME)");
        assertThat(env.get("S3LOGS_FETCH_OUTPUT_FILE")).startsWith("/shared/");
        assertThat(env.get("S3LOGS_FETCH_CHECKPOINT_FILE")).startsWith("/shared/");
        assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts()).anySatisfy(m ->
                assertThat(m.getMountPath()).isEqualTo("/shared"));
        // the probes need the HTTP server, which is off by default
        assertThat(env).containsEntry("S3LOGS_HTTP_ENABLED", "true");
        // liveness only asks whether the process and its routes run; readiness also whether S3 answers
        var container = pod.getSpec().getContainers().get(0);
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/observe/health/live");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/observe/health/ready");
        PersistentVolumeClaim pvc = (PersistentVolumeClaim) byKind.get("PersistentVolumeClaim");
        assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
    }

    private static PolicyRule rule(Role role, String group, String resource) {
        return role.getRules().stream()
                .filter(r -> r.getApiGroups().contains(group) && r.getResources().contains(resource))
                .findFirst().orElseThrow(() -> new AssertionError("no rule for " + resource + " in " + group));
    }
}
