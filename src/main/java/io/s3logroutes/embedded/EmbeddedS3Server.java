package io.s3logroutes.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An S3-compatible server (S3Proxy) started as a child process on 127.0.0.1, used by the quick start and by the
 * tests. It runs from its own jar (found by {@link S3ProxyJar}: inside the runnable jar or beside it), so the
 * application's classpath never depends on it. Credentials are random per start and handed to the client directly.
 */
public final class EmbeddedS3Server implements AutoCloseable {

    public enum Storage { FILESYSTEM, MEMORY }

    private final Path jar;
    private final Path stateDir;
    private final Storage storage;
    private final int port;
    private final String accessKey;
    private final String secretKey;
    private Process process;
    private CountDownLatch stopped;

    /** A server with freshly generated credentials. */
    public EmbeddedS3Server(Path jar, Path stateDir, Storage storage, int port) {
        this(jar, stateDir, storage, port, randomHex(10).toUpperCase(), randomHex(20));
    }

    public EmbeddedS3Server(Path jar, Path stateDir, Storage storage, int port, String accessKey, String secretKey) {
        this.jar = jar;
        this.stateDir = stateDir;
        this.storage = storage;
        this.port = port == 0 ? freePort() : port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized EmbeddedS3Server start(Duration timeout) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("the embedded S3 server jar " + jar + " is missing; build with 'mvn package' first"
                    + " or set s3logs.s3.embedded-jar");
        }
        Files.createDirectories(stateDir);
        Path data = stateDir.resolve("buckets");
        Files.createDirectories(data);
        Path props = stateDir.resolve("s3proxy.properties");
        List<String> lines = new ArrayList<>(List.of(
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + accessKey,
                "s3proxy.credential=" + secretKey,
                "s3proxy.ignore-unknown-headers=true",
                "jclouds.identity=unused",
                "jclouds.credential=unused"));
        if (storage == Storage.MEMORY) {
            lines.add("jclouds.provider=transient-nio2");
        } else {
            lines.add("jclouds.provider=filesystem-nio2");
            lines.add("jclouds.filesystem.basedir=" + data.toAbsolutePath());
        }
        Files.write(props, lines);
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toAbsolutePath().toString(), "--properties", props.toAbsolutePath().toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(stateDir.resolve("s3proxy.log").toFile());
        process = pb.start();
        Process p = process;
        CountDownLatch stopped = new CountDownLatch(1);
        this.stopped = stopped;
        // on JVM exit (SIGTERM) the server outlives the application's own shutdown, which may still upload
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            p.destroyForcibly();
        }, "embedded-s3-stop"));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the embedded S3 server exited with status " + process.exitValue()
                        + "; see " + stateDir.resolve("s3proxy.log"));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return this;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while starting the embedded S3 server", ie);
                }
            }
        }
        close();
        throw new IOException("the embedded S3 server did not listen on 127.0.0.1:" + port + " within " + timeout);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the server process (its data stays on disk for the filesystem store). */
    @Override
    public synchronized void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            process = null;
            stopped.countDown();
        }
    }
}
