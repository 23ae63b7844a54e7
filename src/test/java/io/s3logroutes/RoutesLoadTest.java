package io.s3logroutes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.s3logroutes.testing.TestS3;
import org.apache.camel.Route;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loads every file of {@code routes/} with the shipped {@code application.properties}, as the jar does: the YAML
 * must parse, every placeholder must resolve, every route must have an explicit id.
 */
class RoutesLoadTest extends CamelMainTestSupport {

    static final TestS3 S3 = TestS3.shared();
    static final String BUCKET = S3.newBucket("routes");

    @Override
    public void configureContext(CamelContextConfiguration c) {
        super.configureContext(c);
        Properties p = new Properties();
        p.putAll(S3.appProperties(BUCKET));
        // load every route, start none: this checks the definitions, not the flows
        p.put("camel.main.auto-startup", "false");
        // a route whose flow is off is not created at all (precondition): the syslog routes need the flow (and ship)
        // on, collapse-s3 its flow
        p.put("s3logs.ship.enabled", "true");
        p.put("s3logs.syslog.enabled", "true");
        p.put("s3logs.collapse.enabled", "true");
        c.withUseOverridePropertiesWithPropertiesComponent(p);
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "file:application.properties";
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(S3LogsConfiguration.class);
        configuration.withRoutesIncludePattern("file:routes/*.camel.yaml");
    }

    static final Pattern TEMPLATED_ID = Pattern.compile(
            "(?m)^- templatedRoute:\\s*\\n(?:[ \\t]+\\S.*\\n)*?[ \\t]+routeId:\\s*(\\S+)");

    static List<String> declaredIds() throws IOException {
        Pattern id = Pattern.compile("(?m)^- route:\\s*\\n\\s+id:\\s*(\\S+)");
        List<String> ids = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.filter(x -> x.toString().endsWith(".camel.yaml")).sorted().toList()) {
                String yaml = Files.readString(f);
                long routes = Pattern.compile("(?m)^- route:").matcher(yaml).results().count();
                Matcher m = id.matcher(yaml);
                long withId = 0;
                while (m.find()) {
                    ids.add(m.group(1));
                    withId++;
                }
                assertThat(withId).as("every route of " + f + " has an id as its first key").isEqualTo(routes);
                // a route made from a route template: its id is the templatedRoute's routeId
                long templated = Pattern.compile("(?m)^- templatedRoute:").matcher(yaml).results().count();
                Matcher t = TEMPLATED_ID.matcher(yaml);
                long templatedWithId = 0;
                while (t.find()) {
                    ids.add(t.group(1));
                    templatedWithId++;
                }
                assertThat(templatedWithId).as("every templatedRoute of " + f + " has a routeId").isEqualTo(templated);
            }
        }
        return ids;
    }

    @Test
    void everyRouteFileLoadsAndEveryRouteHasAnId() throws IOException {
        List<String> declared = declaredIds();
        assertThat(declared).contains("quickstart-report", "ship-file", "ship-tail", "ship-flush", "ship-upload", "ship-put",
                "fetch-s3", "collapse-s3", "ship-syslog-udp", "ship-syslog-tcp");
        assertThat(context.getRoutes()).extracting(Route::getRouteId).containsExactlyInAnyOrderElementsOf(declared);
    }

    @Test
    void everyEndpointValueIsAPlaceholder() throws IOException {
        Pattern param = Pattern.compile("(?m)^\\s+([\\w.]+):\\s*(.+)$");
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.filter(x -> x.toString().endsWith(".camel.yaml")).toList()) {
                boolean inParams = false;
                boolean templateParams = false;
                int indent = 0;
                String previous = "";
                for (String line : Files.readAllLines(f)) {
                    String above = previous;
                    previous = line.strip();
                    String t = line.strip();
                    int ind = line.length() - line.stripLeading().length();
                    if (t.equals("parameters:")) {
                        inParams = true;
                        indent = ind;
                        continue;
                    }
                    if (inParams && (t.isEmpty() || ind <= indent)) {
                        inParams = false;
                    }
                    if (inParams && t.startsWith("- name:")) {
                        // the parameters of a routeTemplate: each default is a placeholder or explained
                        inParams = false;
                        templateParams = true;
                        continue;
                    }
                    if (templateParams && (t.isEmpty() || ind <= indent)) {
                        templateParams = false;
                    }
                    if (templateParams && t.startsWith("defaultValue:")) {
                        String value = t.substring("defaultValue:".length()).strip().replace("\"", "");
                        assertThat(value.startsWith("{{") || above.startsWith("description:"))
                                .as(f + ": default of a template parameter is a {{placeholder}} or a constant"
                                        + " explained by the description above it: " + line)
                                .isTrue();
                    }
                    if (inParams && !t.startsWith("#")) {
                        Matcher m = param.matcher(line);
                        assertThat(m.matches()).as(f + ": " + line).isTrue();
                        String value = m.group(2).replace("\"", "");
                        boolean fixedFlag = value.equals("true") || value.equals("false");
                        boolean beanReference = value.startsWith("#");
                        boolean explainedConstant = above.startsWith("#");
                        assertThat(value.startsWith("{{") || fixedFlag || beanReference || explainedConstant)
                                .as(f + ": endpoint value of '" + m.group(1) + "' is a {{placeholder}}, a bean"
                                        + " reference, a fixed flag, or a constant explained by a comment above it")
                                .isTrue();
                    }
                }
            }
        }
    }
}
