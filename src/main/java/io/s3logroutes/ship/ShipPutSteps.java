package io.s3logroutes.ship;

import java.time.Duration;

import io.s3logroutes.observe.Metrics;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;

/**
 * The steps of the {@code ship-put} route around its aws2-s3 producer ({@link ShipPut} holds their logic):
 * {@code shipPutRequest} sets the attempt's key, headers and file body; {@code shipPutFailed} (the error handler's
 * {@code onExceptionOccurredRef}) counts a failed attempt and, after a permanent S3 error, sets the longest pause
 * before the next one; {@code shipPutRetry} (the error handler's {@code onRedeliveryRef}) counts the retry and sets
 * the next attempt; {@code shipKeyTaken} answers a 412;
 * {@code shipStored} removes the stored batch from the spool. The exchange property {@value #STORED} ends the
 * route's loop.
 */
public final class ShipPutSteps {

    /** Exchange property: the key of the batch's current attempt (set first by {@code shipAssignKey}). */
    public static final String KEY = "s3logsShipKey";
    /** Exchange property: true once nothing is left to put. */
    public static final String STORED = "S3LogsShipStored";
    static final String BATCH = "S3LogsShipBatch";
    static final String MD5 = "S3LogsShipMd5";

    private ShipPutSteps() {
    }

    /** Bean {@code shipPutRequest}: the batch in the body becomes its first attempt. */
    public static final class Request implements Processor {
        private final ShipPut put;

        public Request(ShipPut put) {
            this.put = put;
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            Spool.Batch batch = exchange.getMessage().getMandatoryBody(Spool.Batch.class);
            exchange.setProperty(BATCH, batch);
            Uploader.Md5 md5 = new Uploader.Md5(batch);
            exchange.setProperty(MD5, md5);
            apply(exchange, put.attempt(batch, exchange.getProperty(KEY, KeyAssigner.Assigned.class), md5));
        }
    }

    /**
     * Bean {@code shipPutFailed}: runs as soon as an attempt failed, before the error handler computes the pause. A
     * permanent S3 error ({@link PermanentErrors}) sets the header {@link Exchange#REDELIVERY_DELAY}, which the error
     * handler takes instead of its backoff: the longest pause.
     */
    public static final class Failed implements Processor {
        private final ShipPut put;
        private final Metrics.Count failures;

        public Failed(ShipPut put, Metrics metrics) {
            this.put = put;
            this.failures = metrics.count("s3logs.ship.upload.failures", "failed upload attempts (each is retried)");
        }

        @Override
        public void process(Exchange exchange) {
            failures.increment();
            KeyAssigner.Assigned key = exchange.getProperty(KEY, KeyAssigner.Assigned.class);
            Duration pause = put.failed(batch(exchange), key, exchange.getException());
            if (pause != null) {
                exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, pause.toMillis());
            } else {
                exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
            }
        }
    }

    /** Bean {@code shipPutRetry}: runs before each redelivery of a failed PUT. */
    public static final class Retry implements Processor {
        private final ShipPut put;
        private final Metrics.Count retries;

        public Retry(ShipPut put, Metrics metrics) {
            this.put = put;
            this.retries = metrics.count("s3logs.ship.upload.retries",
                    "upload attempts that repeat a failed one (the route's redeliveries)");
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            retries.increment();
            ShipPut.Attempt next = put.attempt(batch(exchange), exchange.getProperty(KEY, KeyAssigner.Assigned.class),
                    exchange.getProperty(MD5, Uploader.Md5.class));
            apply(exchange, next);
            if (next == null) {
                // S3 holds the batch already (an earlier attempt whose answer was lost) or it left the spool: the
                // redelivery would send the failed PUT again with the removed file, so the exchange ends here
                exchange.setRouteStop(true);
            }
        }
    }

    /** Bean {@code shipKeyTaken}: the PUT got 412 Precondition Failed. */
    public static final class Taken implements Processor {
        private final ShipPut put;

        public Taken(ShipPut put) {
            this.put = put;
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            apply(exchange, put.taken(batch(exchange), exchange.getProperty(KEY, KeyAssigner.Assigned.class),
                    exchange.getProperty(MD5, Uploader.Md5.class)));
        }
    }

    /** Bean {@code shipStored}: the PUT succeeded. */
    public static final class Stored implements Processor {
        private final ShipPut put;

        public Stored(ShipPut put) {
            this.put = put;
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            KeyAssigner.Assigned key = exchange.getProperty(KEY, KeyAssigner.Assigned.class);
            put.stored(batch(exchange), key);
            exchange.setProperty(STORED, true);
            exchange.getMessage().setHeader("s3logsKey", key.key());
        }
    }

    private static Spool.Batch batch(Exchange exchange) {
        return exchange.getProperty(BATCH, Spool.Batch.class);
    }

    private static void apply(Exchange exchange, ShipPut.Attempt a) {
        if (a == null) {
            exchange.setProperty(STORED, true);
            return;
        }
        exchange.setProperty(KEY, a.key());
        var m = exchange.getMessage();
        m.setBody(a.file().toFile());
        m.setHeader(AWS2S3Constants.KEY, a.key().key());
        m.setHeader(AWS2S3Constants.CONTENT_LENGTH, a.length());
        m.setHeader(AWS2S3Constants.CONTENT_TYPE, a.contentType());
        m.setHeader(AWS2S3Constants.CONTENT_ENCODING, a.contentEncoding());
        m.setHeader(AWS2S3Constants.STORAGE_CLASS, a.storageClass());
    }
}
