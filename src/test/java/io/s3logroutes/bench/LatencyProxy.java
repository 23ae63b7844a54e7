package io.s3logroutes.bench;

import java.net.URI;
import java.time.Duration;

import io.s3logroutes.testing.FaultProxy;

/**
 * The latency profile of {@code bench/run.sh} ({@code LATENCY_MS=20}): {@link FaultProxy} with no faults, holding
 * every request for the given time before it goes to the S3 server, each connection on its own thread.
 * <pre>
 * LatencyProxy UPSTREAM_URL MILLIS      prints the proxy's endpoint, then every 10 s the requests relayed so far
 * </pre>
 */
public final class LatencyProxy {

    private LatencyProxy() {
    }

    public static void main(String[] a) throws Exception {
        try (FaultProxy p = new FaultProxy(URI.create(a[0]), 0, 1).latency(Duration.ofMillis(Long.parseLong(a[1])))) {
            System.out.println(p.endpoint());
            while (true) {
                Thread.sleep(10_000);
                System.out.println("requests=" + p.requests());
            }
        }
    }
}
