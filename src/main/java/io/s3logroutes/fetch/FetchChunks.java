package io.s3logroutes.fetch;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

import io.s3logroutes.event.LogEvent;
import io.s3logroutes.s3.S3Errors;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The objects of one batch as chunks of decoded events, strictly in the batch's order. Up to
 * {@code s3logs.fetch.concurrency} objects are read ahead into memory within {@code s3logs.fetch.read-ahead-bytes}
 * ({@link ReadAhead}); a larger object is read as a stream in its turn. An object is decoded chunk by chunk
 * ({@link ObjectReader}), at most {@value #MAX_EVENTS} events or about 1 MiB of lines each, so objects of any size
 * pass in little memory.
 *
 * <p>A bad object (corrupt gzip, above {@code s3logs.fetch.max-object-bytes}, gone since the listing, no output file
 * for its key) ends with a chunk that names the problem ({@link Chunk#bad()}), possibly after chunks of it that came
 * before the problem was found. Any other failure (S3 unreachable) is thrown, naming the key. Between groups of keys
 * (the places the checkpoint may move to) it stops once {@code keepGoing} no longer holds.
 */
public final class FetchChunks implements Iterator<FetchChunks.Chunk>, Closeable {

    public static final int MAX_EVENTS = 4096;
    public static final long MAX_BYTES = 1 << 20;
    private static final String GONE = "the object disappeared before it was read";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("io.s3logroutes.fetch");

    /**
     * Part of one object.
     *
     * @param index  0 for an object's first chunk
     * @param last   whether it is the object's last chunk
     * @param bad    the reason the object is bad (on its last chunk, which has no events), else null
     * @param result what the object held (on its last chunk, unless bad)
     */
    public record Chunk(FetchPlan.Step step, int index, List<LogEvent> events, boolean last, String bad,
                        ObjectReader.Result result) {
        /** Short, as it may travel as a header: {@code chunk 0 of KEY (12 events, last)}. */
        @Override
        public String toString() {
            return "chunk " + index + " of " + step.object().key() + " (" + events.size() + " events"
                    + (last ? ", last" : "") + (bad != null ? ", bad: " + bad : "") + ")";
        }
    }

    private final List<FetchPlan.Step> steps;
    private final ObjectSource objects;
    private final FetchSettings settings;
    private final BooleanSupplier keepGoing;
    private final ReadAhead<FetchPlan.Step> ahead;
    private int taken;
    private FetchPlan.Step step;
    private InputStream stream;
    private ObjectReader reader;
    private List<LogEvent> decoded;
    private int index;
    private String problem;
    private Chunk buffered;
    private boolean ended;

    public FetchChunks(FetchPlan.Plan plan, ObjectSource objects, FetchSettings settings, BooleanSupplier keepGoing,
                       Executor pool) {
        this.steps = plan.steps();
        this.objects = objects;
        this.settings = settings;
        this.keepGoing = keepGoing;
        this.ahead = new ReadAhead<>(steps, this::readAheadSize, s -> objects.load(s.object()),
                settings.concurrency(), settings.readAheadBytes(), pool);
    }

    /** Objects started so far (the chunks of each were, or are being, handed out). */
    public int objectsStarted() {
        return taken;
    }

    @Override
    public boolean hasNext() {
        if (buffered == null && !ended) {
            try {
                buffered = advance();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (buffered == null) {
                close();
            }
        }
        return buffered != null;
    }

    @Override
    public Chunk next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Chunk c = buffered;
        buffered = null;
        return c;
    }

    private Chunk advance() throws IOException {
        if (reader == null && !start()) {
            return null;
        }
        if (reader == null) {
            return bad(problem);
        }
        try {
            List<LogEvent> events = decoded;
            decoded = reader.next(MAX_EVENTS, MAX_BYTES);
            Chunk c = new Chunk(step, index++, events == null ? List.of() : events, decoded == null, null,
                    decoded == null ? reader.result() : null);
            if (decoded == null) {
                closeObject();
            }
            return c;
        } catch (ObjectReader.BadObjectException | NoSuchKeyException e) {
            if (e instanceof NoSuchKeyException && young(step)) {
                throw failure(e);
            }
            return bad(e instanceof NoSuchKeyException ? GONE : e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
    }

    /** Opens the next object and decodes its first chunk; false at the end of the batch or when told to stop. */
    private boolean start() throws IOException {
        if (taken == steps.size()) {
            return false;
        }
        FetchPlan.Step s = steps.get(taken);
        if ((taken == 0 || steps.get(taken - 1).group() != s.group()) && !keepGoing.getAsBoolean()) {
            return false;
        }
        taken++;
        step = s;
        index = 0;
        problem = null;
        try {
            ReadAhead.Slot<FetchPlan.Step> slot = ahead.next();
            if (slot.item() != s) {
                throw new IllegalStateException("read-ahead out of order: " + slot.item().object().key()
                        + " instead of " + s.object().key());
            }
            if (settings.outputFile().fileOf(s.object()) == null) {
                problem = "no output file for this key: " + settings.outputFile().problem(s.object());
                return true;
            }
            stream = slot.body() != null ? new ByteArrayInputStream(slot.body()) : objects.open(s.object());
            reader = ObjectReader.open(stream, settings.inputFormat(), settings.maxObjectBytes());
            decoded = reader.next(MAX_EVENTS, MAX_BYTES);
            return true;
        } catch (ObjectReader.BadObjectException | NoSuchKeyException e) {
            if (e instanceof NoSuchKeyException && young(s)) {
                throw failure(e);
            }
            closeObject();
            problem = e instanceof NoSuchKeyException ? GONE : e.getMessage();
            return true;
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
    }

    private Chunk bad(String reason) {
        closeObject();
        return new Chunk(step, index++, List.of(), true, reason, null);
    }

    /**
     * Whether a listed object that cannot be read is still being written rather than gone: some S3-compatible stores
     * (S3Proxy's filesystem store) list an object a moment before it can be read. Such an object fails the poll,
     * which the next poll retries from the checkpoint; an older one was deleted (by collapse, a lifecycle rule) and is
     * skipped as bad.
     */
    static boolean young(FetchPlan.Step s) {
        return s.object().lastModified() != null
                && s.object().lastModified().isAfter(java.time.Instant.now().minus(STILL_WRITTEN));
    }

    /** How long after its LastModified a listed object that cannot be read counts as still being written. */
    static final java.time.Duration STILL_WRITTEN = java.time.Duration.ofMinutes(1);

    private IOException failure(Exception e) {
        closeObject();
        return new IOException("cannot fetch s3://" + objects.bucket() + "/" + step.object().key() + ": "
                + S3Errors.describe(e), e);
    }

    /** The size to reserve for reading a step ahead; -1 (read in its turn, or not at all) when it has no output. */
    private long readAheadSize(FetchPlan.Step s) {
        return settings.outputFile().fileOf(s.object()) == null ? -1 : s.object().size();
    }

    private void closeObject() {
        reader = null;
        decoded = null;
        if (stream != null) {
            InputStream s = stream;
            stream = null;
            try {
                s.close();
            } catch (IOException e) {
                // the object was read to its end or given up: a failed close of its connection changes neither
                LOG.warn("Fetch: closing the connection of {} failed: {}", step.object().key(), e.toString());
            }
        }
    }

    /** Stops the reads still running ahead and closes the object being read. */
    @Override
    public void close() {
        ended = true;
        closeObject();
        ahead.close();
    }
}
