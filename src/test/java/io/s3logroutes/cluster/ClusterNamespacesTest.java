package io.s3logroutes.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterNamespacesTest {

    @Test
    void readableNamesWithAHashOfTheExactBucketAndPrefix() {
        String f = ClusterNamespaces.fetch("my-logs", "SERVER01/");
        assertThat(f).matches("s3logs-fetch-my-logs-server01-[0-9a-f]{8}");
        assertThat(ClusterNamespaces.fetch("my-logs", "SERVER01/")).as("stable").isEqualTo(f);
        assertThat(ClusterNamespaces.fetch("my-logs", "server01_")).as("reads alike, differs").isNotEqualTo(f)
                .startsWith("s3logs-fetch-my-logs-server01-");
        assertThat(ClusterNamespaces.fetch("my-logs", "")).matches("s3logs-fetch-my-logs-[0-9a-f]{8}");
        assertThat(ClusterNamespaces.collapse("my-logs", "")).matches("s3logs-collapse-my-logs-[0-9a-f]{8}");
        assertThat(ClusterNamespaces.collapse("my-logs", "")).isNotEqualTo(ClusterNamespaces.collapse("my-logs", "x/"));
    }

    @Test
    void alwaysAValidLockFileAndKubernetesName() {
        String[] prefixes = {"", "/", "a/b/c/", "___", "Ünïcode/日本/", "x".repeat(500), "-a-", "AWSLogs/123456789012/"};
        for (String bucket : new String[] {"b", "my.bucket.with.dots", "Legacy_Bucket", "x".repeat(63)}) {
            for (String p : prefixes) {
                for (String n : new String[] {ClusterNamespaces.fetch(bucket, p), ClusterNamespaces.collapse(bucket, p)}) {
                    assertThat(n).hasSizeLessThanOrEqualTo(63);
                    assertThat(ClusterNamespaces.isDnsName(n)).as(n).isTrue();
                }
            }
        }
    }
}
