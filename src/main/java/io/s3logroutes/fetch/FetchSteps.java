package io.s3logroutes.fetch;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

import io.s3logroutes.event.EventStage;
import io.s3logroutes.event.LogEvent;
import io.s3logroutes.s3.S3Errors;
import io.s3logroutes.s3.S3Failures;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.DefaultMessage;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The named steps of {@code routes/fetch-s3.camel.yaml} (and of the {@code s3logs-fetch-source} kamelet), each a
 * thin Camel face of one method of {@link FetchService}:
 * {@value #LIST} (body: the next batch), {@value #READ} (body: an iterator of chunks for a streaming {@code split}),
 * {@value #WRITE} (inside the split, after the event stage), {@value #CHECKPOINT} (after the split; sets
 * {@value #MORE} for the loop and the poll's summary) and {@value #FAILED} (in the {@code doCatch}).
 */
public final class FetchSteps {

    private static final Logger LOG = LoggerFactory.getLogger("io.s3logroutes.fetch");

    public static final String LIST = "fetchList";
    public static final String READ = "fetchRead";
    public static final String WRITE = "fetchWrite";
    public static final String CHECKPOINT = "fetchCheckpoint";
    public static final String FAILED = "fetchFailed";

    /** The value of {@link EventStage#INPUT} for fetch. */
    public static final String INPUT = "fetch";
    /** Header of a chunk: true on the last chunk of its object. */
    public static final String LAST = "S3LogsFetchLast";
    /** Header of a chunk: the reason its object is bad (an empty last chunk); what was written of it is dropped. */
    public static final String BAD = "S3LogsFetchBad";
    /** Header of a chunk: where it comes from ({@link FetchChunks.Chunk}), for the write step. */
    public static final String CHUNK = "S3LogsFetchChunk";
    /** Header after the checkpoint step: whether the next batch is ready now. */
    public static final String MORE = "S3LogsFetchMore";
    /** Headers of the poll's summary: objects and bytes (as stored) read, the checkpoint's key after it. */
    public static final String OBJECTS = "S3LogsFetchObjects";
    public static final String BYTES = "S3LogsFetchBytes";
    public static final String LAST_KEY = "S3LogsFetchLastKey";
    /** false when the poll failed (logged with its cause); the next poll resumes after the checkpoint */
    public static final String OK = "S3LogsFetchOk";

    private static final String PLAN = "S3LogsFetchPlan";
    private static final String START = "S3LogsFetchStart";

    private FetchSteps() {
    }

    /** Binds the five steps under their names. */
    public static void bind(Registry registry, FetchService fetch) {
        registry.bind(LIST, new ListStep(fetch));
        registry.bind(READ, (Processor) x -> read(fetch, x));
        registry.bind(WRITE, (Processor) x -> write(fetch, x));
        registry.bind(CHECKPOINT, (Processor) x -> checkpoint(fetch, x));
        registry.bind(FAILED, (Processor) x -> failed(fetch, x));
    }

    /** Step {@value #LIST}; it reads the checkpoint again each time its route starts. */
    public static final class ListStep extends ServiceSupport implements Processor {
        private final FetchService fetch;

        public ListStep(FetchService fetch) {
            this.fetch = fetch;
        }

        @Override
        protected void doStart() {
            fetch.reload();
        }

        @Override
        public void process(Exchange x) throws Exception {
            list(fetch, x);
        }
    }

    public static void list(FetchService fetch, Exchange x) throws Exception {
        boolean newPoll = x.getProperty(START) == null;
        if (newPoll) {
            x.setProperty(START, new long[] {fetch.stats().objectsRead(), fetch.stats().bytesRead()});
        }
        FetchPlan.Plan plan = fetch.list(newPoll);
        x.setProperty(PLAN, plan);
        x.getMessage().setBody(plan);
    }

    public static void read(FetchService fetch, Exchange x) throws Exception {
        CamelContext ctx = x.getContext();
        String route = x.getFromRouteId();
        FetchChunks chunks = fetch.read(x.getMessage().getMandatoryBody(FetchPlan.Plan.class),
                () -> running(ctx, route));
        x.getMessage().setBody(new ChunkMessages(ctx, chunks));
    }

    public static void write(FetchService fetch, Exchange x) throws Exception {
        Message m = x.getMessage();
        FetchChunks.Chunk chunk = m.getHeader(CHUNK, FetchChunks.Chunk.class);
        if (chunk == null) {
            throw new IllegalStateException("the header " + CHUNK + " is gone: the step " + WRITE
                    + " takes the chunks of the step " + READ + " (keep the headers S3LogsFetch* at the event stage)");
        }
        List<LogEvent> events;
        try {
            events = chunk.bad() != null ? List.of() : EventStage.apply(EventStage.chunk(m.getBody()), m.getHeaders());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the event stage left a body " + WRITE + " cannot write, at " + chunk
                    + ": " + e.getMessage(), e);
        }
        fetch.write(chunk, events);
    }

    public static void checkpoint(FetchService fetch, Exchange x) throws Exception {
        boolean more = fetch.checkpoint(x.getProperty(PLAN, FetchPlan.Plan.class),
                running(x.getContext(), x.getFromRouteId()));
        x.getMessage().setHeader(MORE, more);
        if (!more) {
            String report = fetch.outages().recovered(java.time.Instant.now());
            if (report != null) {
                LOG.info("Fetch: S3 answers again, the poll succeeded (failed polls: {})", report);
            }
            summary(fetch, x, true);
        }
    }

    public static void failed(FetchService fetch, Exchange x) {
        Throwable e = x.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (e == null) {
            e = x.getException();
        }
        CamelContext ctx = x.getContext();
        String routeId = x.getFromRouteId();
        if (fetch.failed(e)) {
            LOG.error("Fetch: stopping route {} (s3logs.fetch.on-error=stop) at bad object {}", routeId,
                    FetchService.halted(e).getMessage());
            Thread stopper = new Thread(() -> {
                try {
                    ctx.getRouteController().stopRoute(routeId);
                } catch (Exception se) {
                    LOG.error("Fetch: cannot stop route {}: {}", routeId, se.toString(), se);
                }
            }, "fetch-stop");
            stopper.start();
        } else {
            Checkpoint cp = fetch.journal().checkpoint();
            String at = cp == null ? "(unread)" : cp.key().orElse("(start)");
            if (e != null && S3Failures.classify(e) == S3Failures.Kind.OUTAGE) {
                // an S3 outage: one WARN line a minute at most, not one ERROR line a poll
                String report = fetch.outages().occurred(java.time.Instant.now());
                if (report != null) {
                    LOG.warn("Fetch: poll failed, S3 does not answer; the next poll resumes after checkpoint {}: {} "
                            + "(failed polls: {})", at, S3Errors.describe(e), report);
                }
            } else {
                LOG.error("Fetch: poll failed, the next poll resumes after checkpoint {}: {}", at,
                        S3Errors.describe(e));
            }
            LOG.debug("Fetch: poll failure", e);
        }
        x.getMessage().setHeader(MORE, false);
        summary(fetch, x, false);
    }

    private static void summary(FetchService fetch, Exchange x, boolean ok) {
        long[] start = x.getProperty(START, long[].class);
        Message m = x.getMessage();
        m.setHeader(OBJECTS, fetch.stats().objectsRead() - (start == null ? 0 : start[0]));
        m.setHeader(BYTES, fetch.stats().bytesRead() - (start == null ? 0 : start[1]));
        Checkpoint cp = fetch.journal().checkpoint();
        m.setHeader(LAST_KEY, cp == null ? null : cp.key().orElse(null));
        m.setHeader(OK, ok);
        m.setBody(null);
    }

    static boolean running(CamelContext ctx, String routeId) {
        if (!ctx.isStarted() || ctx.isStopping()) {
            return false;
        }
        ServiceStatus s = routeId == null ? null : ctx.getRouteController().getRouteStatus(routeId);
        return s == null || s.isStarted();
    }

    /** The chunks as the messages of the event stage: body the events, headers the key and the chunk's place. */
    private record ChunkMessages(CamelContext ctx, FetchChunks chunks) implements Iterator<Message>,
            java.io.Closeable {
        @Override
        public boolean hasNext() {
            return chunks.hasNext();
        }

        @Override
        public Message next() {
            FetchChunks.Chunk c = chunks.next();
            Message m = new DefaultMessage(ctx);
            m.setBody(c.events());
            Map<String, Object> h = m.getHeaders();
            h.put(EventStage.INPUT, INPUT);
            h.put(EventStage.SOURCE, c.step().object().key());
            h.put(LAST, c.last());
            if (c.bad() != null) {
                h.put(BAD, c.bad());
            }
            h.put(CHUNK, c);
            return m;
        }

        @Override
        public void close() {
            chunks.close();
        }
    }
}
