package io.s3logroutes.cluster;

import org.apache.camel.support.RoutePolicySupport;

/**
 * The route policy of a flow that is not elected ({@code s3logs.cluster.kind=none}, or the flow is off on this
 * instance): it changes nothing, so the route starts or not by its own {@code autoStartup}.
 */
public final class NoClusterPolicy extends RoutePolicySupport {
}
