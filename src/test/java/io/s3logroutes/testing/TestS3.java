package io.s3logroutes.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.s3logroutes.config.S3Settings;
import io.s3logroutes.config.Props;
import io.s3logroutes.embedded.EmbeddedS3Server;
import io.s3logroutes.s3.S3ClientFactory;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server (S3Proxy, child process, 127.0.0.1) for the tests. {@link #shared()} is one in-memory server
 * per test JVM; tests that stop and restart a server (outages) start their own with {@link #start}.
 * The application under test finds the credentials through the AWS default chain: the shared server's keys are in
 * a credentials file outside the build directory, named by the {@code aws.sharedCredentialsFile} system property
 * (never a system property holding the secret: surefire writes every system property into its reports), and
 * child JVMs get them as environment variables. The secret key is random per test JVM; its SHA-256 is recorded in
 * {@code s3logs.test.secrets-dir} (set by the build) for the scan of the build output for leaked secrets.
 *
 * <p>With {@code -Ds3logs.test.s3-server=rgw} (the build's second failsafe execution, {@code rgw}) the shared server
 * is Ceph RGW instead ({@link CephRgw}, 127.0.0.1:7480, a user with random keys per test JVM), and the application
 * and this client use {@code s3logs.s3.checksum=when-required}. Where radosgw is not installed, every test that asks
 * for the shared server is skipped, naming the packages to install.
 */
public final class TestS3 implements AutoCloseable {

    /** Which server {@link #shared()} is: {@code s3proxy} (the default) or {@code rgw}. */
    public static final String SERVER = System.getProperty("s3logs.test.s3-server", "s3proxy");

    private static TestS3 shared;
    private static String sharedFailure;
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    /** S3Proxy; {@code null} for Ceph RGW. */
    private final EmbeddedS3Server server;
    private final AutoCloseable process;
    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;
    private final S3Client client;

    private TestS3(EmbeddedS3Server server) {
        this(server, server, server.endpoint(), server.accessKey(), server.secretKey());
    }

    private TestS3(EmbeddedS3Server server, AutoCloseable process, URI endpoint, String accessKey, String secretKey) {
        this.server = server;
        this.process = process;
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        Map<String, String> props = new LinkedHashMap<>(Map.of(
                "s3logs.s3.bucket", "unused",
                "s3logs.s3.endpoint", endpoint.toString(),
                "s3logs.s3.path-style", "true",
                "s3logs.s3.max-attempts", "3"));
        props.putAll(serverProperties());
        S3Settings s = S3Settings.from(new Props(k -> java.util.Optional.ofNullable(props.get(k))));
        this.client = S3ClientFactory.create(s, StaticCredentialsProvider.create(
                AwsBasicCredentials.create(accessKey, secretKey)), 32);
    }

    public static boolean isRgw() {
        return SERVER.equals("rgw");
    }

    /** The settings the shared server needs besides its endpoint: Ceph RGW rejects the SDK's default checksums. */
    static Map<String, String> serverProperties() {
        return isRgw() ? Map.of("s3logs.s3.checksum", "when-required") : Map.of();
    }

    public static synchronized TestS3 shared() {
        if (shared == null) {
            if (sharedFailure != null) {
                // one start per JVM: the tests after a failed start fail at once with its reason
                throw new IllegalStateException(sharedFailure);
            }
            try {
                shared = isRgw() ? launchRgw()
                        : launch(new EmbeddedS3Server(jar(), tempDir("s3-shared"), EmbeddedS3Server.Storage.MEMORY, 0));
            } catch (RuntimeException e) {
                if (!(e instanceof org.opentest4j.TestAbortedException)) {
                    sharedFailure = "the shared test S3 server (" + SERVER + ") did not start: " + e.getMessage();
                }
                throw e;
            }
            String secrets = System.getProperty("s3logs.test.secrets-dir");
            if (secrets != null) {
                SecretScan.record(Path.of(secrets), shared.secretKey);
            }
            Path credentials = credentialsFile(shared.accessKey, shared.secretKey);
            System.setProperty("aws.sharedCredentialsFile", credentials.toString());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                shared.close();
                try {
                    Files.deleteIfExists(credentials);
                    Files.deleteIfExists(credentials.getParent());
                } catch (IOException e) {
                    System.err.println("cannot delete the test credentials file " + credentials + ": " + e);
                }
            }));
        }
        return shared;
    }

    /**
     * A server of the test's own (filesystem-backed ones can be stopped and restarted with their data), with the
     * shared server's credentials, so that the application under test finds them through the default chain too.
     */
    public static TestS3 start(EmbeddedS3Server.Storage storage, Path stateDir) {
        TestS3 keys = shared();
        return launch(new EmbeddedS3Server(jar(), stateDir, storage, 0, keys.accessKey, keys.secretKey));
    }

    /** Ceph RGW, or the test is skipped where it is not installed. */
    private static TestS3 launchRgw() {
        CephRgw.missingProgram().ifPresent(p -> Assumptions.abort("Ceph RGW is not installed (" + p
                + " is not on the PATH): the tests against it are skipped; " + CephRgw.INSTALL + " installs it"));
        // hex, like S3Proxy's: the scan of the build output finds hex secrets
        java.security.SecureRandom random = new java.security.SecureRandom();
        byte[] access = new byte[10];
        byte[] secret = new byte[20];
        random.nextBytes(access);
        random.nextBytes(secret);
        String accessKey = java.util.HexFormat.of().withUpperCase().formatHex(access);
        String secretKey = java.util.HexFormat.of().formatHex(secret);
        try {
            long t0 = System.nanoTime();
            CephRgw rgw = CephRgw.start(Path.of(System.getProperty("s3logs.test.ceph-scripts", "src/test/ceph")),
                    accessKey, secretKey, Duration.ofMinutes(2));
            System.out.println("Ceph RGW answers on " + rgw.endpoint() + " after "
                    + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");
            return new TestS3(null, rgw, rgw.endpoint(), accessKey, secretKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** An AWS credentials file with a {@code default} profile, readable by its owner only, in a new temp folder. */
    private static Path credentialsFile(String accessKey, String secretKey) {
        try {
            Path dir = Files.createTempDirectory("s3logs-test-aws",
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            Path f = dir.resolve("credentials");
            Files.writeString(f, "[default]\naws_access_key_id = " + accessKey + "\naws_secret_access_key = "
                    + secretKey + "\n");
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TestS3 launch(EmbeddedS3Server server) {
        try {
            return new TestS3(server.start(Duration.ofSeconds(60)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path jar() {
        return Path.of(System.getProperty("s3logs.test.s3proxy-jar", "target/embedded/s3proxy.jar"));
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public S3Client client() {
        return client;
    }

    /** The S3Proxy server; the Ceph RGW run has none (tests that need it are not part of that run). */
    public EmbeddedS3Server server() {
        if (server == null) {
            throw new IllegalStateException("the shared test server is Ceph RGW, not an S3Proxy that this test can"
                    + " stop, restart or proxy; leave this test out of the RGW run");
        }
        return server;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Creates a bucket with a fresh name and returns the name. */
    public String newBucket(String hint) {
        String name = (hint + "-" + BUCKETS.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36))
                .toLowerCase().replaceAll("[^a-z0-9-]", "-");
        client.createBucket(b -> b.bucket(name));
        return name;
    }

    /** The {@code s3logs.s3.*} properties that point the application at this server. */
    public Map<String, String> appProperties(String bucket) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("s3logs.s3.embedded", "false");
        m.put("s3logs.s3.bucket", bucket);
        m.put("s3logs.s3.endpoint", endpoint.toString());
        m.put("s3logs.s3.path-style", "true");
        m.put("s3logs.s3.region", "us-east-1");
        m.putAll(serverProperties());
        // the health and metrics server on a free port, so that tests running side by side never share one
        m.put("s3logs.http.port", "0");
        return m;
    }

    /** Environment variables that give a child JVM this server's credentials through the default chain. */
    public Map<String, String> credentialsEnv() {
        return Map.of("AWS_ACCESS_KEY_ID", accessKey, "AWS_SECRET_ACCESS_KEY", secretKey, "AWS_REGION", "us-east-1");
    }

    /** Stops the server process; {@link #restart()} brings it back on the same port with the same keys. */
    public void stopServer() {
        server().close();
    }

    public void restart() {
        try {
            server().start(Duration.ofSeconds(60));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.close();
        try {
            process.close();
        } catch (Exception e) {
            System.err.println("cannot stop the test S3 server at " + endpoint + ": " + e);
        }
    }
}
