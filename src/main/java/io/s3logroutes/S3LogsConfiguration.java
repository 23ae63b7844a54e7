package io.s3logroutes;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import io.s3logroutes.config.StartupException;
import io.s3logroutes.embedded.EmbeddedS3Server;
import io.s3logroutes.embedded.S3ProxyJar;
import io.s3logroutes.s3.BucketCheck;
import io.s3logroutes.s3.S3ClientFactory;
import io.s3logroutes.s3.S3Failures;
import io.s3logroutes.s3.S3Watch;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.aws2.s3.AWS2S3Component;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Wires the application: one S3 connection (also given to the aws2-s3 component), the embedded quick-start server
 * when {@code s3logs.s3.embedded=true}, the startup bucket check (a fatal answer stops the start, an outage does not),
 * the beans the flows' YAML routes refer to, and the cluster service that elects the one instance running fetch and
 * collapse ({@code s3logs.cluster.kind}).
 */
public class S3LogsConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(S3LogsConfiguration.class);

    public static final String[] FLOWS = {"ship", "syslog", "fetch", "collapse"};

    @Override
    public void configure(CamelContext context) throws Exception {
        Props props = props(context);
        // s3logs.ship.profile: its defaults beneath every explicit setting, for the code and the routes alike
        io.s3logroutes.config.Profiles.apply(props, context.getPropertiesComponent());
        S3Settings s3 = S3Settings.from(props);

        StaticCredentialsProvider credentials = null;
        EmbeddedS3Server embedded = null;
        if (s3.embedded()) {
            embedded = startEmbedded(props);
            credentials = StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(embedded.accessKey(), embedded.secretKey()));
            s3 = new S3Settings(s3.bucket(), s3.region(), java.util.Optional.of(embedded.endpoint()), true,
                    s3.profile(), s3.checksum(), s3.maxAttempts(), s3.connectTimeout(), s3.callTimeout(),
                    s3.callAttemptTimeout(), s3.sse(), s3.sseKmsKeyId(), s3.conditionalWrites(), true);
        }
        S3Client client = S3ClientFactory.create(s3, credentials, 64);
        // ship's uploads: one attempt per call, the ship-put route's redelivery retries (S3ClientFactory)
        S3Client shipClient = S3ClientFactory.create(s3.withMaxAttempts(1), credentials, 64);
        if (embedded != null) {
            createDemoBucket(client, s3.bucket());
        }
        context.addService(new Closer(client, shipClient, embedded), true, true);

        startupCheck(context, props, client, s3);

        context.getRegistry().bind("s3Client", S3Client.class, client);
        context.getRegistry().bind("s3Connection", io.s3logroutes.s3.S3Connection.class,
                new io.s3logroutes.s3.S3Connection(client, s3));
        context.getRegistry().bind("shipS3Client", S3Client.class, shipClient);
        putOptions(context, s3);
        context.getRegistry().bind("s3Settings", S3Settings.class, s3);
        context.getComponent("aws2-s3", AWS2S3Component.class).getConfiguration().setAmazonS3Client(client);

        Map<String, Boolean> enabled = new LinkedHashMap<>();
        for (String flow : FLOWS) {
            enabled.put(flow, props.bool("s3logs." + flow + ".enabled", false));
        }
        LOG.info("s3-log-routes {}: S3 endpoint={} bucket={} region={} path-style={} credentials={} sse={}; flows {}",
                S3LogRoutesMain.version(), s3.describeEndpoint(), s3.bucket(), s3.region(), s3.pathStyle(),
                embedded != null ? "embedded (generated)" : s3.profile().map(p -> "profile " + p).orElse("default chain"),
                s3.sse(), enabled);

        for (var unknown : S3LogRoutesMain.unknownKeys(
                context.getPropertiesComponent().loadProperties(k -> k.startsWith("s3logs.")))) {
            LOG.warn("{}: it is ignored", unknown.message());
        }
        if (!props.bool("camel.main.routes-collector-enabled", true)) {
            // no route file is loaded (the collapse command): no step, pipeline or cluster service is needed
            return;
        }
        FlowBeans.register(context, props, client, s3);
        io.s3logroutes.cluster.ClusterBeans.register(context, props, s3.bucket());
    }

    /**
     * The startup check. A service (routes start): HeadBucket, one attempt within {@code s3logs.health.s3-timeout}; a
     * fatal answer (missing bucket, access denied, another region, no or bad credentials) stops the start with its
     * one line, an outage (no answer, 5xx, SlowDown) is one WARN line and the start goes on with an {@link S3Watch}
     * that probes until S3 answers. A command ({@code camel.main.auto-startup=false}: check, collapse) runs once and
     * gains nothing from waiting: HeadBucket with the client's retries, and any failure stops it.
     */
    static void startupCheck(CamelContext context, Props props, S3Client client, S3Settings s3) throws Exception {
        if (!props.bool("camel.main.auto-startup", true)) {
            BucketCheck.check(client, s3);
            return;
        }
        Duration timeout = props.duration("s3logs.health.s3-timeout", "3s");
        BucketCheck.Failure f = BucketCheck.probe(client, s3, timeout);
        if (f == null) {
            return;
        }
        if (f.kind() == S3Failures.Kind.FATAL) {
            throw new StartupException(f.message());
        }
        long warned = System.nanoTime();
        LOG.warn(S3Watch.startLine(f.message(), props.bool("s3logs.http.enabled", false)));
        context.addService(new S3Watch(() -> BucketCheck.probe(client, s3, timeout), System::nanoTime, warned),
                true, true);
    }

    /**
     * The aws2-s3 producer options that follow from {@code s3logs.s3.sse} for the ship-put route:
     * {@code s3logs.s3.put-sse-s3}, {@code put-sse-kms} and {@code put-sse-kms-key}. Without a key id, SSE-KMS names
     * the AWS managed key {@code alias/aws/s3}, which is the key S3 takes when none is named (the producer sends
     * SSE-KMS only with a key id).
     */
    static void putOptions(CamelContext context, S3Settings s3) {
        var pc = context.getPropertiesComponent();
        putOptions(s3).forEach((param, value) -> pc.addOverrideProperty(PUT_OPTION_KEYS.get(param), value));
    }

    private static final Map<String, String> PUT_OPTION_KEYS = Map.of("sseS3", "s3logs.s3.put-sse-s3",
            "sseKms", "s3logs.s3.put-sse-kms", "sseKmsKey", "s3logs.s3.put-sse-kms-key");

    /** The same options as the parameters of the route template s3logs-ship-put: sseS3, sseKms, sseKmsKey. */
    public static Map<String, String> putOptions(S3Settings s3) {
        return Map.of("sseS3", Boolean.toString(s3.sse() == S3Settings.Sse.AES256),
                "sseKms", Boolean.toString(s3.sse() == S3Settings.Sse.AWS_KMS),
                "sseKmsKey", s3.sseKmsKeyId().orElse("alias/aws/s3"));
    }

    public static Props props(CamelContext context) {
        return new Props(key -> context.getPropertiesComponent().resolveProperty(key));
    }

    private static EmbeddedS3Server startEmbedded(Props props) {
        Path dir = Path.of(props.string("s3logs.s3.embedded-dir", "data/s3"));
        int port = props.integer("s3logs.s3.embedded-port", 0, 0, 65535);
        try {
            Path jar = S3ProxyJar.locate(props.string("s3logs.s3.embedded-jar", ""), dir);
            EmbeddedS3Server server = new EmbeddedS3Server(jar, dir, EmbeddedS3Server.Storage.FILESYSTEM, port)
                    .start(Duration.ofSeconds(60));
            LOG.info("Embedded S3 server (S3Proxy, files under {}) listening on {}", dir.toAbsolutePath(),
                    server.endpoint());
            return server;
        } catch (IOException e) {
            throw new StartupException("cannot start the embedded S3 server: " + e.getMessage(), e);
        }
    }

    /** The quick start is the only place where the product creates a bucket. */
    private static void createDemoBucket(S3Client client, String bucket) {
        try {
            client.headBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            client.createBucket(b -> b.bucket(bucket));
            LOG.info("Embedded S3: created the demo bucket {}", bucket);
        }
    }

    /** Closes the S3 client and stops the embedded server when the CamelContext stops. */
    static final class Closer extends ServiceSupport {
        private final S3Client client;
        private final S3Client shipClient;
        private final EmbeddedS3Server embedded;

        Closer(S3Client client, S3Client shipClient, EmbeddedS3Server embedded) {
            this.client = client;
            this.shipClient = shipClient;
            this.embedded = embedded;
        }

        @Override
        protected void doStop() {
            client.close();
            shipClient.close();
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
