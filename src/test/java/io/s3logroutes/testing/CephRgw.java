package io.s3logroutes.testing;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Ceph RGW for the tests: a single-node Ceph 16 (one mon, one memstore OSD, data in memory) with radosgw on
 * 127.0.0.1:{@value #PORT}, started by {@code src/test/ceph/start-ceph-rgw.sh} with the user's keys in its
 * environment and stopped by {@code stop-ceph-rgw.sh}. The ports are fixed, so there is one instance per machine:
 * a JVM holds the lock file {@code ${java.io.tmpdir}/s3logs-ceph-rgw.lock} while its instance runs (another build
 * waits), and daemons left by a JVM that was killed are stopped, by the pid files in the state folder, before a start.
 */
public final class CephRgw implements AutoCloseable {

    public static final int PORT = 7480;
    /** The programs the start script runs (Debian packages radosgw, ceph-mon, ceph-osd). */
    static final List<String> PROGRAMS = List.of("radosgw", "radosgw-admin", "ceph-mon", "ceph-osd", "ceph",
            "monmaptool", "ceph-authtool");
    public static final String INSTALL = "apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd";

    private final Path scripts;
    private final Path stateDir;
    private final FileChannel lockFile;
    private final FileLock lock;

    private CephRgw(Path scripts, Path stateDir, FileChannel lockFile, FileLock lock) {
        this.scripts = scripts;
        this.stateDir = stateDir;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /** The first program of {@link #PROGRAMS} not found on the PATH, if any. */
    public static Optional<String> missingProgram() {
        List<Path> path = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(s -> !s.isEmpty()).map(Path::of).toList();
        return PROGRAMS.stream().filter(p -> path.stream().noneMatch(d -> Files.isExecutable(d.resolve(p)))).findFirst();
    }

    /**
     * Starts Ceph and radosgw with a user holding these keys, and returns once radosgw answers HTTP. On failure the
     * daemons started so far are stopped and the exception names the log folder.
     */
    public static CephRgw start(Path scripts, String accessKey, String secretKey, Duration timeout) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path stateDir = tmp.resolve("s3logs-ceph-rgw");
        FileChannel ch = FileChannel.open(tmp.resolve("s3logs-ceph-rgw.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.lock();
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        CephRgw rgw = new CephRgw(scripts, stateDir, ch, lock);
        try {
            // daemons of an earlier JVM that ended without stopping them (kill -9) hold the fixed ports
            rgw.stopDaemons();
            if (answers(Duration.ofMillis(500))) {
                throw new IOException("port " + PORT + " on 127.0.0.1 already answers HTTP: another S3 server (such as"
                        + " s3lab's start-ceph-rgw.sh) runs outside this build; stop it first");
            }
            Path log = Files.createDirectories(tmp).resolve("s3logs-ceph-rgw-start.log");
            ProcessBuilder pb = new ProcessBuilder("bash", scripts.resolve("start-ceph-rgw.sh").toString());
            pb.environment().putAll(Map.of("CEPH_DIR", stateDir.toString(), "RGW_ACCESS_KEY", accessKey,
                    "RGW_SECRET_KEY", secretKey));
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("the Ceph RGW start script took longer than " + timeout + "; see " + log
                        + " and " + stateDir.resolve("log"));
            }
            if (p.exitValue() != 0) {
                throw new IOException("the Ceph RGW start script failed with status " + p.exitValue() + ": "
                        + Files.readString(log).strip() + " (logs: " + stateDir.resolve("log") + ")");
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!answers(Duration.ofSeconds(1))) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("radosgw does not answer on 127.0.0.1:" + PORT + "; see "
                            + stateDir.resolve("log/client.rgw.a.log"));
                }
                Thread.sleep(200);
            }
            return rgw;
        } catch (IOException | RuntimeException e) {
            rgw.close();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            rgw.close();
            throw new IOException("interrupted while starting Ceph RGW", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + PORT);
    }

    /** True when something answers HTTP on the port (any status). */
    private static boolean answers(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        try {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/")).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void stopDaemons() throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", scripts.resolve("stop-ceph-rgw.sh").toString());
        pb.environment().put("CEPH_DIR", stateDir.toString());
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("the Ceph RGW stop script took longer than 60 s (state folder " + stateDir + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping Ceph RGW", e);
        }
    }

    /** Stops the daemons and releases the machine's instance. */
    @Override
    public void close() {
        try {
            stopDaemons();
        } catch (IOException e) {
            System.err.println("cannot stop Ceph RGW: " + e);
        } finally {
            try {
                lock.release();
                lockFile.close();
            } catch (IOException e) {
                System.err.println("cannot release the Ceph RGW lock file: " + e);
            }
        }
    }
}
