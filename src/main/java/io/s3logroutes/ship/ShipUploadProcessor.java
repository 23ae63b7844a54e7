package io.s3logroutes.ship;

import io.s3logroutes.observe.Metrics;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step {@code shipUpload}: uploads the sealed batch in the body and removes it from the spool once S3 has it.
 * The key of an attempt is kept on the exchange and beside the batch in the spool, so that the route's redelivery
 * and a restart after a crash retry the same key (a 412 there with this batch's MD5 means it is already stored)
 * until it is older than {@code max-upload-delay}.
 */
public final class ShipUploadProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ShipUploadProcessor.class);
    static final String KEY = "s3logsShipKey";

    private final SpoolUpload upload;
    private final Metrics.Count objects;
    private final Metrics.Count bytes;
    private final Metrics.Count failures;
    private final Metrics.Count retries;
    private final Metrics.Stamp lastSuccess;
    private final InputCounts inputs;

    public ShipUploadProcessor(Uploader uploader, Spool spool) {
        this(uploader, spool, Metrics.NONE, new InputCounts());
    }

    /** @param inputs the pipeline's counts per input, whose batches are counted out here once stored */
    public ShipUploadProcessor(Uploader uploader, Spool spool, Metrics metrics, InputCounts inputs) {
        this.upload = new SpoolUpload(uploader, spool);
        this.inputs = inputs;
        this.objects = metrics.count("s3logs.ship.objects", "objects written to S3");
        this.bytes = metrics.count("s3logs.ship.bytes", "bytes written to S3 (as stored, after gzip)");
        this.failures = metrics.count("s3logs.ship.upload.failures", "failed upload attempts (each is retried)");
        this.retries = metrics.count("s3logs.ship.upload.retries",
                "upload attempts that repeat a failed one (the route's redeliveries)");
        this.lastSuccess = metrics.lastSuccess("ship");
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Spool.Batch batch = exchange.getIn().getBody(Spool.Batch.class);
        if (exchange.getIn().getHeader(Exchange.REDELIVERED, false, Boolean.class)) {
            retries.increment();
        }
        KeyAssigner.Assigned previous = exchange.getProperty(KEY, KeyAssigner.Assigned.class);
        SpoolUpload.Stored stored;
        try {
            stored = upload.upload(batch, previous, k -> exchange.setProperty(KEY, k));
        } catch (Exception e) {
            failures.increment();
            throw e;
        }
        if (stored == null) {
            // retrying cannot bring it back (logged): go on with the other batches
            return;
        }
        inputs.stored(batch.path());
        objects.increment();
        bytes.add(stored.size());
        lastSuccess.mark();
        exchange.getIn().setHeader("s3logsKey", stored.key().key());
        LOG.debug("Ship: stored {} ({} bytes)", stored.key().key(), stored.size());
    }
}
