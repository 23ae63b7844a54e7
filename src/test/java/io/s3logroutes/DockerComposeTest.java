package io.s3logroutes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml cannot be run here (no Docker engine), so it is checked as data: LocalStack pinned, S3 only, the
 * bucket created, the app mounted and pointed at LocalStack with path-style, and every S3LOGS_* variable naming a
 * property that application.properties has.
 */
class DockerComposeTest {

    @SuppressWarnings("unchecked")
    static Map<String, Object> service(Map<String, Object> compose, String name) {
        return (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get(name);
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeFileIsInStepWithTheProperties() throws IOException {
        Map<String, Object> compose = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("docker-compose.yml")));
        Map<String, Object> localstack = service(compose, "localstack");
        String image = (String) localstack.get("image");
        assertThat(image).startsWith("localstack/localstack:").doesNotEndWith(":latest").matches(".*:\\d+\\.\\d+\\.\\d+");
        assertThat((Map<String, Object>) localstack.get("environment")).containsEntry("SERVICES", "s3");
        assertThat((List<String>) localstack.get("ports")).allMatch(p -> p.startsWith("127.0.0.1:"));

        Map<String, Object> init = service(compose, "init-bucket");
        assertThat(String.join(" ", (List<String>) init.get("entrypoint"))).contains("s3 mb s3://");

        Map<String, Object> app = service(compose, "app");
        assertThat((List<String>) app.get("volumes")).anyMatch(v -> v.startsWith("./routes:"))
                .anyMatch(v -> v.startsWith("./application.properties:"));
        Map<String, Object> env = (Map<String, Object>) app.get("environment");
        assertThat(env).containsEntry("S3LOGS_S3_PATH_STYLE", "true").containsEntry("S3LOGS_S3_EMBEDDED", "false")
                .containsEntry("S3LOGS_S3_ENDPOINT", "http://localstack:4566");

        Properties props = new Properties();
        try (var in = Files.newBufferedReader(Path.of("application.properties"))) {
            props.load(in);
        }
        Set<String> envNames = props.stringPropertyNames().stream()
                .map(k -> k.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_')).collect(Collectors.toSet());
        assertThat(env.keySet().stream().filter(k -> k.startsWith("S3LOGS_")).toList())
                .isNotEmpty().allMatch(envNames::contains);
    }
}
