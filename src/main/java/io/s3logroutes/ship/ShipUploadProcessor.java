package io.s3logroutes.ship;

import java.nio.file.Files;

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

    private final Uploader uploader;
    private final Spool spool;

    public ShipUploadProcessor(Uploader uploader, Spool spool) {
        this.uploader = uploader;
        this.spool = spool;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Spool.Batch batch = exchange.getIn().getBody(Spool.Batch.class);
        if (!Files.exists(batch.path())) {
            // retrying cannot bring it back: say so and go on with the other batches
            LOG.error("Ship: spool batch {} was removed by someone else before it was uploaded; its events are lost",
                    batch.path());
            return;
        }
        KeyAssigner.Assigned previous = exchange.getProperty(KEY, KeyAssigner.Assigned.class);
        KeyAssigner.Assigned key = uploader.upload(batch, previous, k -> {
            if (!k.equals(exchange.getProperty(KEY))) {
                exchange.setProperty(KEY, k);
                try {
                    spool.saveKey(batch, k);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("cannot save the key of spool batch " + batch.path(), e);
                }
            }
        });
        long size = batch.size();
        spool.remove(batch);
        exchange.getIn().setHeader("s3logsKey", key.key());
        LOG.debug("Ship: stored {} ({} bytes)", key.key(), size);
    }
}
