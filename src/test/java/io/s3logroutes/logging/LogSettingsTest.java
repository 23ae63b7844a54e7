package io.s3logroutes.logging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.s3logroutes.config.StartupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogSettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreTextAtInfoWithCamelsNoisyLoggersAtWarn() {
        LogSettings s = LogSettings.defaults();
        assertThat(s.format()).isEqualTo(LogSettings.Format.TEXT);
        assertThat(s.rootLevel()).isEqualTo("INFO");
        assertThat(s.levels()).containsEntry("org.apache.camel.impl.engine", "WARN")
                .containsEntry("org.apache.camel.main", "WARN").containsEntry("software.amazon.awssdk", "WARN")
                .hasSize(8);
    }

    @Test
    void keysSetTheFormatTheRootAndEachLogger() {
        LogSettings s = LogSettings.of(Map.of("s3logs.log.format", " JSON", "s3logs.log.level", "warn",
                "s3logs.log.level.io.s3logroutes.fetch", "debug", "s3logs.log.level.org.apache.camel.main", "Info",
                "s3logs.other", "x"));
        assertThat(s.format()).isEqualTo(LogSettings.Format.JSON);
        assertThat(s.rootLevel()).isEqualTo("WARN");
        assertThat(s.levels()).containsEntry("io.s3logroutes.fetch", "DEBUG")
                .containsEntry("org.apache.camel.main", "INFO").hasSize(9);
    }

    @Test
    void aBadValueIsOneLineThatNamesTheKey() {
        assertThatThrownBy(() -> LogSettings.of(Map.of("s3logs.log.format", "xml")))
                .isInstanceOf(StartupException.class).hasMessage("s3logs.log.format must be text or json, not 'xml'");
        assertThatThrownBy(() -> LogSettings.of(Map.of("s3logs.log.level.io.s3logroutes", "loud")))
                .isInstanceOf(StartupException.class)
                .hasMessage("s3logs.log.level.io.s3logroutes must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, not 'loud'");
        assertThatThrownBy(() -> LogSettings.of(Map.of("s3logs.log.level.", "DEBUG")))
                .isInstanceOf(StartupException.class).hasMessageStartingWith("s3logs.log.level. names no logger");
    }

    @Test
    void systemPropertiesBeatTheEnvironmentWhichBeatsTheFileWhichBeatsThePackagedFile() throws Exception {
        Properties sys = new Properties();
        sys.setProperty("s3logs.log.format", "json");
        sys.setProperty("java.version", "17");
        Map<String, String> env = Map.of("S3LOGS_LOG_FORMAT", "text", "S3LOGS_LOG_LEVEL", "ERROR",
                "S3LOGS_LOG_LEVEL_IO_S3LOGROUTES_FETCH", "DEBUG", "PATH", "/bin");
        Path file = Files.writeString(dir.resolve("application.properties"),
                "s3logs.log.level=TRACE\ns3logs.log.level.io.s3logroutes.collapse=WARN\ns3logs.s3.bucket=b\n");
        Path packaged = Files.createDirectories(dir.resolve("cp"));
        Files.writeString(packaged.resolve("application.properties"),
                "s3logs.log.level.io.s3logroutes.collapse=ERROR\ns3logs.log.level.io.s3logroutes.ship=DEBUG\n");
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {packaged.toUri().toURL()}, null)) {
            Map<String, String> keys = LogSettings.keys(sys, env, file, loader);
            assertThat(keys).containsOnly(Map.entry("s3logs.log.format", "json"), Map.entry("s3logs.log.level", "ERROR"),
                    Map.entry("s3logs.log.level.io.s3logroutes.fetch", "DEBUG"),
                    Map.entry("s3logs.log.level.io.s3logroutes.collapse", "WARN"),
                    Map.entry("s3logs.log.level.io.s3logroutes.ship", "DEBUG"));
        }
        // no file, no packaged file: nothing but the defaults
        assertThat(LogSettings.keys(new Properties(), Map.of(), dir.resolve("none"), null)).isEmpty();
    }

    @Test
    void logbackGetsTheFormatAndTheLevels() throws Exception {
        LoggerContext context = new LoggerContext();
        LogbackSetup.apply(context, LogSettings.of(Map.of("s3logs.log.level", "WARN",
                "s3logs.log.level.io.s3logroutes.fetch", "DEBUG")));
        assertThat(context.getLogger("io.s3logroutes.fetch.X").getEffectiveLevel()).isEqualTo(Level.DEBUG);
        assertThat(context.getLogger("io.s3logroutes.ship").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.apache.camel.main.Main").getEffectiveLevel()).isEqualTo(Level.WARN);
        var appender = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("console");
        assertThat(appender).isInstanceOf(ch.qos.logback.core.ConsoleAppender.class);
        assertThat(((ch.qos.logback.core.ConsoleAppender<?>) appender).getEncoder())
                .isInstanceOf(ch.qos.logback.classic.encoder.PatternLayoutEncoder.class);
        LogbackSetup.apply(context, LogSettings.of(Map.of("s3logs.log.format", "json")));
        assertThat(((ch.qos.logback.core.ConsoleAppender<?>) context.getLogger(Logger.ROOT_LOGGER_NAME)
                .getAppender("console")).getEncoder()).isInstanceOf(JsonLineEncoder.class);
        assertThat(context.getLogger("io.s3logroutes.fetch").getEffectiveLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void theJsonEncoderWritesOneObjectPerLineWithTheStackTraceAsAField() throws Exception {
        LoggerContext context = new LoggerContext();
        Logger logger = context.getLogger("io.s3logroutes.fetch");
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.setContext(context);
        encoder.start();
        Exception cause = new IllegalStateException("inner\nsecond line");
        LoggingEvent withError = new LoggingEvent("x", logger, Level.ERROR, "Fetch: poll failed \"{}\"",
                new java.io.IOException("outer", cause), new Object[] {"a\tb"});
        withError.setThreadName("Camel (camel-1) thread #3");
        withError.setTimeStamp(1_795_000_000_123L);
        LoggingEvent plain = new LoggingEvent("x", logger, Level.INFO, "Fetch: 3 events from 1 object", null, null);
        String out = new String(encoder.encode(withError), java.nio.charset.StandardCharsets.UTF_8)
                + new String(encoder.encode(plain), java.nio.charset.StandardCharsets.UTF_8);

        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode e = json.readTree(lines.get(0));
        assertThat(e.get("time").asText()).isEqualTo("2026-11-18T11:06:40.123Z");
        assertThat(e.get("level").asText()).isEqualTo("ERROR");
        assertThat(e.get("logger").asText()).isEqualTo("io.s3logroutes.fetch");
        assertThat(e.get("thread").asText()).isEqualTo("Camel (camel-1) thread #3");
        assertThat(e.get("message").asText()).isEqualTo("Fetch: poll failed \"a\tb\"");
        assertThat(e.get("stack_trace").asText()).startsWith("java.io.IOException: outer")
                .contains("Caused by: java.lang.IllegalStateException: inner\nsecond line", "\tat ");
        JsonNode p = json.readTree(lines.get(1));
        assertThat(p.get("message").asText()).isEqualTo("Fetch: 3 events from 1 object");
        assertThat(p.has("stack_trace")).isFalse();
        assertThat(p.fieldNames()).toIterable().containsExactly("time", "level", "logger", "thread", "message");
    }
}
