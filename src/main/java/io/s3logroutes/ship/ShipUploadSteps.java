package io.s3logroutes.ship;

import java.util.LinkedHashMap;
import java.util.Map;

import io.s3logroutes.observe.Metrics;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The step beans of the route templates {@code s3logs-ship-flush}, {@code s3logs-ship-upload} and
 * {@code s3logs-ship-put} (routes/ship.camel.yaml) for one instance of the ship flow, under the names the templates
 * give them: {@code <name>Flush}, {@code <name>AssignKey}, {@code <name>PutRequest}, {@code <name>PutFailed},
 * {@code <name>PutRetry}, {@code <name>KeyTaken}, {@code <name>Stored} and, when given, the one-attempt client
 * {@code <name>S3Client}. The application's instance is named {@code ship}; each ship sink kamelet instance is named
 * after its route.
 */
public final class ShipUploadSteps {

    /** The route templates, in the order their routes start. */
    public static final String PUT = "s3logs-ship-put";
    public static final String UPLOAD = "s3logs-ship-upload";
    public static final String FLUSH = "s3logs-ship-flush";

    private ShipUploadSteps() {
    }

    /** The queue that sealed batches of the instance {@code name} go to. */
    public static String uploadQueue(String name) {
        return "seda:" + name + "-upload";
    }

    /**
     * The beans by name.
     *
     * @param tailer     the tail input whose offsets the flush saves at shutdown, or null
     * @param shipClient the S3 client of the aws2-s3 producer (one attempt per call), or null when it is bound already
     */
    public static Map<String, Object> beans(String name, ShipPipeline pipeline, Tailer tailer, ShipPut put,
                                            Metrics metrics, S3Client shipClient) {
        Map<String, Object> beans = new LinkedHashMap<>();
        beans.put(name + "Flush", new ShipFlushProcessor(pipeline, tailer));
        beans.put(name + "AssignKey", new ShipKeyProcessor(put));
        beans.put(name + "PutRequest", new ShipPutSteps.Request(put));
        beans.put(name + "PutFailed", new ShipPutSteps.Failed(put, metrics));
        beans.put(name + "PutRetry", new ShipPutSteps.Retry(put, metrics));
        beans.put(name + "KeyTaken", new ShipPutSteps.Taken(put));
        beans.put(name + "Stored", new ShipPutSteps.Stored(put));
        if (shipClient != null) {
            beans.put(name + "S3Client", shipClient);
        }
        return beans;
    }
}
