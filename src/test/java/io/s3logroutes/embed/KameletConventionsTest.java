package io.s3logroutes.embed;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kamelets follow the conventions of apache/camel-kamelets: name and {@code camel.apache.org/kamelet.type}
 * agree, parameters are camelCase with a title, description and type, the required ones exist, secrets are marked
 * ({@code format: password}, {@code urn:camel:group:credentials}), every parameter is used and every value of the
 * template (endpoint parameters, bean properties) is a parameter, and the dependencies name the library (with the
 * version of this build) and every component the template uses.
 */
class KameletConventionsTest {

    static final Pattern CAMEL_CASE = Pattern.compile("[a-z][a-zA-Z0-9]*");
    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-zA-Z][a-zA-Z0-9]*)(:[^}]*)?}}");
    static final Pattern ONLY_PLACEHOLDER = Pattern.compile("\\{\\{[a-zA-Z][a-zA-Z0-9]*(:[^}]*)?}}");
    static final Pattern SECRET = Pattern.compile("(?i).*(secret|password|token|accesskey).*");

    static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("kamelets"))) {
            return s.filter(p -> p.toString().endsWith(".kamelet.yaml")).sorted().toList();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String name) throws IOException {
        // the packaged copy, as the kamelet component finds it (the version in the dependencies filled in)
        try (InputStream in = KameletConventionsTest.class.getResourceAsStream("/kamelets/" + name)) {
            assertThat(in).as("classpath:kamelets/" + name).isNotNull();
            return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
        }
    }

    @Test
    void theThreeFlowsArePackaged() throws IOException {
        assertThat(files()).extracting(p -> p.getFileName().toString()).containsExactly(
                "s3logs-collapse-action.kamelet.yaml", "s3logs-fetch-source.kamelet.yaml",
                "s3logs-ship-sink.kamelet.yaml");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyKameletFollowsTheConventions() throws Exception {
        for (Path f : files()) {
            String file = f.getFileName().toString();
            String name = file.substring(0, file.length() - ".kamelet.yaml".length());
            Map<String, Object> k = load(file);
            assertThat(k).as(file).containsEntry("apiVersion", "camel.apache.org/v1").containsEntry("kind", "Kamelet");
            Map<String, Object> meta = (Map<String, Object>) k.get("metadata");
            assertThat(meta.get("name")).as(file).isEqualTo(name);
            String type = (String) ((Map<String, Object>) meta.get("labels")).get("camel.apache.org/kamelet.type");
            assertThat(type).as(file + " kamelet.type").isIn("source", "sink", "action");
            assertThat(name).as(file).endsWith("-" + type);
            assertThat((Map<String, Object>) meta.get("annotations")).as(file)
                    .containsKeys("camel.apache.org/kamelet.support.level", "camel.apache.org/provider");

            Map<String, Object> spec = (Map<String, Object>) k.get("spec");
            Map<String, Object> def = (Map<String, Object>) spec.get("definition");
            assertThat(def).as(file).containsKeys("title", "description").containsEntry("type", "object");
            Map<String, Map<String, Object>> props = (Map<String, Map<String, Object>>) def.get("properties");
            List<String> required = (List<String>) def.get("required");
            assertThat(props.keySet()).as(file).containsAll(required).contains("bucket");
            for (var e : props.entrySet()) {
                String p = file + " parameter " + e.getKey();
                assertThat(e.getKey()).as(p).matches(CAMEL_CASE);
                assertThat(e.getValue()).as(p).containsKeys("title", "description", "type");
                assertThat(e.getValue().get("type")).as(p).isIn("string", "integer", "boolean");
                if (SECRET.matcher(e.getKey()).matches()) {
                    assertThat(e.getValue()).as(p + " is a secret").containsEntry("format", "password");
                    assertThat((List<String>) e.getValue().get("x-descriptors")).as(p)
                            .contains("urn:camel:group:credentials");
                    assertThat(required).as(p + ": a secret is optional (default chain)").doesNotContain(e.getKey());
                }
                if (required.contains(e.getKey())) {
                    assertThat(e.getValue()).as(p + " is required: no default").doesNotContainKey("default");
                }
            }

            Map<String, Object> template = (Map<String, Object>) spec.get("template");
            List<Map<String, Object>> beans = (List<Map<String, Object>>) template.get("beans");
            assertThat(beans).as(file).hasSize(1);
            Map<String, Object> bean = beans.get(0);
            Class<?> cls = Class.forName(((String) bean.get("type")).replace("#class:", ""));
            assertThat(FlowBean.class).as(file).isAssignableFrom(cls);
            Map<String, Object> beanProps = (Map<String, Object>) bean.get("properties");
            for (var e : beanProps.entrySet()) {
                // name: the instance's name is the kamelet's route id
                assertThat(String.valueOf(e.getValue())).as(file + " bean property " + e.getKey())
                        .matches(ONLY_PLACEHOLDER).startsWith("{{" + (e.getKey().equals("name") ? "routeId" : e.getKey()));
                assertThat(setter(cls, e.getKey())).as(file + " " + cls.getSimpleName() + " setter of " + e.getKey())
                        .isTrue();
            }

            // every value of the route is a parameter; every parameter is used; nothing else is referred to
            List<String> values = new ArrayList<>();
            Set<String> schemes = new TreeSet<>();
            walk(template.get("from"), "from", values, schemes);
            for (String v : values) {
                assertThat(v).as(file + " endpoint parameter").matches(ONLY_PLACEHOLDER);
            }
            String text = Files.readString(f);
            String templateText = text.substring(text.indexOf("  template:"));
            Set<String> used = new TreeSet<>();
            Matcher m = PLACEHOLDER.matcher(templateText);
            while (m.find()) {
                used.add(m.group(1));
            }
            Set<String> allowed = new TreeSet<>(props.keySet());
            allowed.add((String) bean.get("name"));
            allowed.add("routeId");
            assertThat(allowed).as(file + ": placeholders of the template").containsAll(used);
            assertThat(used).as(file + ": every parameter is used").containsAll(props.keySet());

            List<String> deps = (List<String>) spec.get("dependencies");
            String version = System.getProperty("s3logs.test.project-version", "");
            assertThat(deps).as(file).contains("camel:kamelet")
                    .anySatisfy(d -> assertThat(d).startsWith("mvn:io.s3logroutes:s3-log-routes:").doesNotContain("${")
                            .endsWith(":" + (version.isEmpty() ? d.substring(d.lastIndexOf(':') + 1) : version)));
            schemes.remove("kamelet");
            for (String s : schemes) {
                assertThat(deps).as(file + ": dependency of the component " + s).contains("camel:" + s);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void docsHaveARowForEveryParameter() throws Exception {
        String doc = Files.readString(Path.of("docs/embedding.md"));
        assertThat(doc).as("docs/embedding.md").startsWith("# Embedding in a Camel application");
        int start = doc.indexOf("\n## Kamelets\n");
        assertThat(start).as("docs/embedding.md section Kamelets").isPositive();
        int end = doc.indexOf("\n## ", start + 3);
        String section = end < 0 ? doc.substring(start) : doc.substring(start, end);
        for (Path f : files()) {
            String file = f.getFileName().toString();
            Map<String, Object> def = (Map<String, Object>) ((Map<String, Object>) load(file).get("spec"))
                    .get("definition");
            assertThat(section).as("docs/embedding.md names the kamelet")
                    .contains("`" + file.replace(".kamelet.yaml", "") + "`");
            for (String p : ((Map<String, Object>) def.get("properties")).keySet()) {
                assertThat(section).as("docs/embedding.md row of " + file + " parameter " + p)
                        .contains("| `" + p + "` |");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void walk(Object node, String key, List<String> values, Set<String> schemes) {
        if (node instanceof Map<?, ?> map) {
            Object uri = map.get("uri");
            if (uri instanceof String u) {
                schemes.add(u.substring(0, u.indexOf(':')));
                assertThat(u).as("endpoint " + u + ": options go under parameters").doesNotContain("?");
                Object params = map.get("parameters");
                if (params instanceof Map<?, ?> pm) {
                    pm.values().forEach(v -> values.add(String.valueOf(v)));
                }
            }
            for (var e : ((Map<String, Object>) map).entrySet()) {
                if (e.getKey().equals("to") && e.getValue() instanceof String u) {
                    schemes.add(u.substring(0, u.indexOf(':')));
                    assertThat(u).doesNotContain("?");
                }
                walk(e.getValue(), e.getKey(), values, schemes);
            }
        } else if (node instanceof List<?> list) {
            list.forEach(n -> walk(n, key, values, schemes));
        }
    }

    private static boolean setter(Class<?> cls, String property) {
        String name = "set" + Character.toUpperCase(property.charAt(0)) + property.substring(1);
        return Arrays.stream(cls.getMethods()).map(Method::getName).anyMatch(name::equals);
    }
}
