package io.s3logroutes.observe;

import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A health check that is DOWN, with the message, whenever {@code problem} returns one, and UP when it returns null. It
 * is a readiness check only: S3, the spool and the flows' silence say whether the instance can take work now, not
 * whether the process should be restarted.
 */
public final class ProblemHealthCheck extends AbstractHealthCheck {

    private final Supplier<String> problem;

    public ProblemHealthCheck(String id, Supplier<String> problem) {
        super("s3logs", id);
        this.problem = problem;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String p;
        try {
            p = problem.get();
        } catch (RuntimeException e) {
            p = getId() + " check failed: " + e;
        }
        if (p == null) {
            builder.up();
        } else {
            builder.message(p).down();
        }
    }
}
