package io.s3logroutes.embed;

import java.time.Clock;
import java.time.Instant;

import io.s3logroutes.fetch.FetchProcessor;
import io.s3logroutes.fetch.FetchSettings;
import io.s3logroutes.fetch.Fetcher;
import org.apache.camel.Exchange;

/**
 * The fetch flow as one bean (the local bean of the {@code s3logs-fetch-source} kamelet): each exchange is one poll
 * of this instance's {@link Fetcher} (its own output file, checkpoint and failed file), as the application's step
 * {@code fetchS3} does; the message then carries a summary of the poll.
 */
public class FetchFlow extends FlowBean {

    /** Headers of the summary: objects and bytes (as stored) read by the poll, the checkpoint's key after it. */
    public static final String OBJECTS = "S3LogsFetchObjects";
    public static final String BYTES = "S3LogsFetchBytes";
    public static final String LAST_KEY = "S3LogsFetchLastKey";
    /** false when the poll failed (logged with its cause); the next poll resumes after the checkpoint */
    public static final String OK = "S3LogsFetchOk";

    private Fetcher fetcher;
    private FetchProcessor poll;

    public void setPrefix(String v) {
        set("prefix", "s3logs.fetch.prefix", v);
    }

    public void setOutputFile(String v) {
        set("outputFile", "s3logs.fetch.output-file", v);
    }

    public void setOutputFormat(String v) {
        set("outputFormat", "s3logs.fetch.output-format", v);
    }

    public void setInputFormat(String v) {
        set("inputFormat", "s3logs.fetch.input-format", v);
    }

    public void setCheckpointFile(String v) {
        set("checkpointFile", "s3logs.fetch.checkpoint-file", v);
    }

    public void setFailedFile(String v) {
        set("failedFile", "s3logs.fetch.failed-file", v);
    }

    public void setSettle(String v) {
        set("settle", "s3logs.fetch.settle", v);
    }

    public void setMaxKeys(String v) {
        set("maxKeys", "s3logs.fetch.max-keys", v);
    }

    public void setMaxObjectBytes(String v) {
        set("maxObjectBytes", "s3logs.fetch.max-object-bytes", v);
    }

    public void setOnError(String v) {
        set("onError", "s3logs.fetch.on-error", v);
    }

    public void setConcurrency(String v) {
        set("concurrency", "s3logs.fetch.concurrency", v);
    }

    public void setReadAheadBytes(String v) {
        set("readAheadBytes", "s3logs.fetch.read-ahead-bytes", v);
    }

    public void setCheckpointInterval(String v) {
        set("checkpointInterval", "s3logs.fetch.checkpoint-interval", v);
    }

    @Override
    protected void startFlow() {
        fetcher = new Fetcher(client(), s3Settings().bucket(), FetchSettings.from(props()), Clock.systemUTC());
        poll = new FetchProcessor(fetcher);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        if (!isStarted()) {
            throw new IllegalStateException("fetch is not started");
        }
        long objects = fetcher.objectsRead();
        long bytes = fetcher.bytesRead();
        Instant before = fetcher.lastSuccess();
        poll.process(exchange);
        Instant after = fetcher.lastSuccess();
        var m = exchange.getMessage();
        m.setHeader(OBJECTS, fetcher.objectsRead() - objects);
        m.setHeader(BYTES, fetcher.bytesRead() - bytes);
        var cp = fetcher.checkpoint();
        m.setHeader(LAST_KEY, cp == null ? null : cp.key().orElse(null));
        m.setHeader(OK, after != null && after != before);
        m.setBody(null);
    }

    public Fetcher fetcher() {
        return fetcher;
    }

    @Override
    protected void stopFlow() {
        // nothing open between polls: each poll fsyncs the output before it moves the checkpoint
    }
}
