package io.s3logroutes.testing;

import java.util.Map;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.s3logroutes.logging.LogSettings;
import io.s3logroutes.logging.LogbackSetup;

/**
 * Logback's configuration in the test JVMs (a service of the test classpath only): the runnable jar's, from the
 * {@code -Ds3logs.log.*} properties, so that the in-process tests log as the jar does. A child JVM's
 * {@code S3LogRoutesMain} configures Logback again from all of its sources.
 */
public final class TestLogging extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        LogbackSetup.apply(context, LogSettings.of(LogSettings.keys(System.getProperties(), Map.of(), null, null)));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
