package io.s3logroutes.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The liveness check {@code s3logs/routes}: UP while the CamelContext runs and each of Camel's own route checks
 * ({@code route:<id>}: started, or not meant to run) is UP; DOWN naming the routes that are not. It is on
 * {@code /observe/health/live} (with Camel's {@code context} check) and on {@code /observe/health}; readiness has the
 * route checks themselves.
 */
public final class RoutesLivenessCheck extends AbstractHealthCheck {

    private final CamelContext context;

    public RoutesLivenessCheck(CamelContext context) {
        super("s3logs", "routes");
        this.context = context;
    }

    @Override
    public boolean isLiveness() {
        return true;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (!context.isStarted()) {
            builder.message("the CamelContext is " + context.getStatus()).down();
            return;
        }
        List<String> down = new ArrayList<>();
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry != null) {
            registry.stream().filter(c -> c.getId().startsWith("route:")).forEach(c -> {
                HealthCheck.Result r = c.callReadiness();
                if (r.getState() == HealthCheck.State.DOWN) {
                    down.add(c.getId().substring("route:".length()));
                }
            });
        }
        if (down.isEmpty()) {
            builder.up();
        } else {
            builder.message("routes not running: " + String.join(", ", down)).down();
        }
    }
}
