package io.s3logroutes.fetch;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step {@code fetchS3}: one poll of {@link Fetcher}. It returns early when the route or the application stops. With
 * {@code s3logs.fetch.on-error=stop}, a bad object stops the route; other failures (S3 unreachable) are logged and
 * the next poll starts again from the checkpoint. Each time the route starts, the checkpoint is read again from its
 * file (see {@link Fetcher#reload()}).
 */
public final class FetchProcessor extends ServiceSupport implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger("fetch");

    private final Fetcher fetcher;

    public FetchProcessor(Fetcher fetcher) {
        this.fetcher = fetcher;
    }

    public Fetcher fetcher() {
        return fetcher;
    }

    @Override
    protected void doStart() {
        fetcher.reload();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        CamelContext ctx = exchange.getContext();
        String routeId = exchange.getFromRouteId();
        try {
            fetcher.poll(() -> running(ctx, routeId));
        } catch (Fetcher.HaltedException e) {
            LOG.error("Fetch: stopping route {} (s3logs.fetch.on-error=stop) at bad object {}", routeId,
                    e.getMessage());
            Thread stopper = new Thread(() -> {
                try {
                    ctx.getRouteController().stopRoute(routeId);
                } catch (Exception se) {
                    LOG.error("Fetch: cannot stop route {}: {}", routeId, se.toString(), se);
                }
            }, "fetch-stop");
            stopper.start();
        } catch (java.io.IOException | RuntimeException e) {
            LOG.error("Fetch: poll failed, the next poll resumes after checkpoint {}: {}",
                    fetcher.checkpoint() == null ? "(unread)" : fetcher.checkpoint().key().orElse("(start)"),
                    e.toString());
            LOG.debug("Fetch: poll failure", e);
        }
    }

    private static boolean running(CamelContext ctx, String routeId) {
        if (!ctx.isStarted() || ctx.isStopping()) {
            return false;
        }
        ServiceStatus s = routeId == null ? null : ctx.getRouteController().getRouteStatus(routeId);
        return s == null || s.isStarted();
    }
}
