package io.s3logroutes.embed;

import java.time.Clock;

import io.s3logroutes.fetch.FetchService;
import io.s3logroutes.fetch.FetchSettings;
import io.s3logroutes.fetch.FetchSteps;
import org.apache.camel.Exchange;

/**
 * The fetch flow as one bean (the local bean of the {@code s3logs-fetch-source} kamelet), with its own output file,
 * checkpoint and failed file. Its methods are the steps of the application's route {@code fetch-s3}
 * ({@link FetchSteps}, on this instance's {@link FetchService}), called by the kamelet in the same order; after a
 * poll the message carries its summary.
 */
public class FetchFlow extends FlowBean {

    /** Headers of the summary: objects and bytes (as stored) read by the poll, the checkpoint's key after it. */
    public static final String OBJECTS = FetchSteps.OBJECTS;
    public static final String BYTES = FetchSteps.BYTES;
    public static final String LAST_KEY = FetchSteps.LAST_KEY;
    /** false when the poll failed (logged with its cause); the next poll resumes after the checkpoint */
    public static final String OK = FetchSteps.OK;

    private FetchService fetch;

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
        fetch = new FetchService(client(), s3Settings().bucket(), FetchSettings.from(props()), Clock.systemUTC());
    }

    /** The steps are called by name ({@link #list} ... {@link #failed}); the bean is no step of its own. */
    @Override
    public void process(Exchange exchange) {
        throw new IllegalStateException("the fetch bean's steps are list, read, write, checkpoint and failed");
    }

    public void list(Exchange x) throws Exception {
        FetchSteps.list(started(), x);
    }

    public void read(Exchange x) throws Exception {
        FetchSteps.read(started(), x);
    }

    public void write(Exchange x) throws Exception {
        FetchSteps.write(started(), x);
    }

    public void checkpoint(Exchange x) throws Exception {
        FetchSteps.checkpoint(started(), x);
    }

    public void failed(Exchange x) {
        FetchSteps.failed(started(), x);
    }

    public FetchService service() {
        return fetch;
    }

    private FetchService started() {
        if (!isStarted()) {
            throw new IllegalStateException("fetch is not started");
        }
        return fetch;
    }

    @Override
    protected void stopFlow() {
        // nothing open between polls: each poll fsyncs the output before it moves the checkpoint
    }
}
