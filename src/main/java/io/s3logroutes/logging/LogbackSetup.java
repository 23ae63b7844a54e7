package io.s3logroutes.logging;

import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback from {@link LogSettings}, in code: the runnable jar carries no logback.xml, so the library jar
 * never configures the logging of an application that embeds it. Events go to standard error, one line each.
 */
public final class LogbackSetup {

    /** The text format: like the former slf4j-simple output, {@code 2026-11-22T02:14:20.123Z [INFO] fetch - ...}. */
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX} [%level] %logger{0} - %msg%n";

    private LogbackSetup() {
    }

    /** Whether SLF4J is bound to Logback in this JVM (always in the runnable jar). */
    public static boolean active() {
        return LoggerFactory.getILoggerFactory().getClass().getName().equals("ch.qos.logback.classic.LoggerContext");
    }

    /** Replaces Logback's configuration with the one of {@code settings}. */
    public static void apply(LogSettings settings) {
        apply((LoggerContext) LoggerFactory.getILoggerFactory(), settings);
    }

    /** Replaces the configuration of {@code context} with the one of {@code settings}. */
    public static void apply(LoggerContext context, LogSettings settings) {
        context.reset();
        Encoder<ILoggingEvent> encoder;
        if (settings.format() == LogSettings.Format.JSON) {
            encoder = new JsonLineEncoder();
        } else {
            PatternLayoutEncoder pattern = new PatternLayoutEncoder();
            pattern.setPattern(TEXT_PATTERN);
            encoder = pattern;
        }
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setName("console");
        console.setContext(context);
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(settings.rootLevel()));
        root.addAppender(console);
        for (Map.Entry<String, String> e : settings.levels().entrySet()) {
            context.getLogger(e.getKey()).setLevel(Level.toLevel(e.getValue()));
        }
    }
}
