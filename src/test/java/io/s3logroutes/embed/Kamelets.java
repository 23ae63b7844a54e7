package io.s3logroutes.embed;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/** A plain CamelContext with YAML routes that use the kamelets of {@code classpath:kamelets}. */
final class Kamelets {

    private Kamelets() {
    }

    static CamelContext context(String yamlRoutes) throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        PluginHelper.getRoutesLoader(ctx).loadRoutes(ResourceHelper.fromString("test.camel.yaml", yamlRoutes));
        return ctx;
    }
}
