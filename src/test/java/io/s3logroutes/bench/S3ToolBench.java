package io.s3logroutes.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Plain AWS SDK v2 tools for the benchmark harness ({@code bench/run.sh}): the baselines measured against the
 * application, and the set-up of input objects. Each command prints one result line starting with {@code RESULT}.
 * <pre>
 * S3ToolBench ENDPOINT BUCKET mkbucket
 * S3ToolBench ENDPOINT BUCKET put-loop PREFIX OBJECTS THREADS [WARMUP] raw PutObject loop, ~200-byte bodies, after WARMUP
 *                                                                     (default 50) untimed ones from the same threads
 * S3ToolBench ENDPOINT BUCKET populate KIND PREFIX OBJECTS BYTES     gzip objects: KIND access | ship; plain (access
 *                                                                    keys, uncompressed lines of random base64)
 * S3ToolBench ENDPOINT BUCKET limit-collapse PREFIX THREADS          list, concurrent GETs, DeleteObjects
 * S3ToolBench ENDPOINT BUCKET limit-fetch PREFIX THREADS             list, concurrent GETs (a fetch's own limit)
 * S3ToolBench ENDPOINT BUCKET count PREFIX                           objects and bytes under PREFIX (listing time)
 * S3ToolBench ENDPOINT BUCKET lines PREFIX                           objects, lines (gunzipped) and bytes under PREFIX
 * S3ToolBench ENDPOINT BUCKET rm PREFIX                              delete everything under PREFIX
 * </pre>
 * Credentials are {@code test}/{@code test} (the standalone S3Proxy's), path-style addressing, region us-east-1.
 */
public final class S3ToolBench {

    private S3ToolBench() {
    }

    static S3Client client(String endpoint, int connections) {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(Math.max(connections, 4))
                        .connectionTimeout(Duration.ofSeconds(5)))
                .build();
    }

    public static void main(String[] a) throws Exception {
        String endpoint = a[0];
        String bucket = a[1];
        String cmd = a[2];
        try (S3Client s3 = client(endpoint, 128)) {
            switch (cmd) {
                case "mkbucket" -> s3.createBucket(b -> b.bucket(bucket));
                case "put-loop" -> putLoop(s3, bucket, a[3], Integer.parseInt(a[4]), Integer.parseInt(a[5]),
                        a.length > 6 ? Integer.parseInt(a[6]) : 50);
                case "populate" -> populate(s3, bucket, a[3], a[4], Integer.parseInt(a[5]), Integer.parseInt(a[6]));
                case "limit-collapse" -> limitCollapse(s3, bucket, a[3], Integer.parseInt(a[4]), true);
                case "limit-fetch" -> limitCollapse(s3, bucket, a[3], Integer.parseInt(a[4]), false);
                case "count" -> {
                    long t0 = System.nanoTime();
                    long[] n = count(s3, bucket, a[3]);
                    System.out.printf("RESULT objects=%d bytes=%d seconds=%.3f%n", n[0], n[1],
                            (System.nanoTime() - t0) / 1e9);
                }
                case "lines" -> {
                    long[] n = lines(s3, bucket, a[3]);
                    System.out.println("RESULT objects=" + n[0] + " lines=" + n[1] + " bytes=" + n[2]);
                }
                case "rm" -> System.out.println("RESULT deleted=" + rm(s3, bucket, a[3]));
                default -> throw new IllegalArgumentException("unknown command " + cmd);
            }
        }
    }

    /**
     * OBJECTS PutObjects of ~200-byte lines from THREADS threads, timed after WARMUP untimed ones from the same threads:
     * the raw SDK's rate at the application's concurrency.
     */
    static void putLoop(S3Client s3, String bucket, String prefix, int objects, int threads, int warmup)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        putAll(s3, bucket, prefix + "warmup-", warmup, pool, threads);
        long t0 = System.nanoTime();
        putAll(s3, bucket, prefix, objects, pool, threads);
        double s = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        System.out.printf("RESULT objects=%d threads=%d seconds=%.3f per_second=%.1f%n", objects, threads, s, objects / s);
    }

    private static void putAll(S3Client s3, String bucket, String prefix, int objects, ExecutorService pool,
                               int threads) throws Exception {
        AtomicLong next = new AtomicLong();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(pool.submit(() -> {
                long i;
                while ((i = next.getAndIncrement()) < objects) {
                    String key = prefix + String.format("%06d", i);
                    byte[] body = line(i).getBytes(StandardCharsets.UTF_8);
                    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
    }

    static String line(long i) {
        return String.format("2026-11-22T02:00:%02d.%03dZ web-%d app[%d]: GET /api/orders status=200 user=%08x "
                + "session=%016x latency_ms=%d bytes=%d upstream=10.0.%d.%d cache=hit", i % 60, i % 1000, i % 7,
                1000 + i % 50, i, i * 2654435761L, i % 900, 200 + i % 5000, i % 250, i % 200);
    }

    /**
     * OBJECTS gzip objects of about BYTES compressed bytes each, 16 threads. {@code access}: S3 access log keys
     * {@code PREFIX2014-12-31-HH-MM-SS-UNIQUE}; {@code ship}: ship's keys {@code PREFIX2020-01-01/HH.mm.ss-SEQ.gz},
     * 1,000 per second of key time.
     */
    static void populate(S3Client s3, String bucket, String kind, String prefix, int objects, int bytes) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        AtomicLong next = new AtomicLong();
        AtomicLong stored = new AtomicLong();
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            fs.add(pool.submit(() -> {
                long i;
                while ((i = next.getAndIncrement()) < objects) {
                    String key;
                    if (kind.equals("access") || kind.equals("plain")) {
                        long sec = i * 86_399L / objects;
                        key = String.format("%s2014-12-31-%02d-%02d-%02d-%016X", prefix, sec / 3600, sec / 60 % 60,
                                sec % 60, (i * 0x9E3779B97F4A7C15L) ^ bytes);
                    } else {
                        long sec = i / 1000;
                        key = String.format("%s2020-01-01/%02d.%02d.%02d-%06d.gz", prefix, sec / 3600, sec / 60 % 60,
                                sec % 60, i % 1000 + 1);
                    }
                    byte[] body = kind.equals("plain") ? plainLines(i, bytes) : gzipLines(i, bytes);
                    stored.addAndGet(body.length);
                    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        System.out.printf("RESULT objects=%d bytes=%d seconds=%.1f%n", objects, stored.get(), (System.nanoTime() - t0) / 1e9);
    }

    /** Exactly {@code bytes} bytes of lines of random base64 (hardly compressible), seeded by {@code i}. */
    static byte[] plainLines(long i, int bytes) {
        Random r = new Random(i);
        byte[] raw = new byte[75];
        byte[] out = new byte[bytes];
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        int pos = 0;
        while (pos < bytes) {
            r.nextBytes(raw);
            byte[] line = b64.encode(raw);
            int n = Math.min(line.length, bytes - pos);
            System.arraycopy(line, 0, out, pos, n);
            pos += n;
            if (pos < bytes) {
                out[pos++] = '\n';
            }
        }
        out[bytes - 1] = '\n';
        return out;
    }

    /** Lines of object {@code i}, gzipped, until the compressed size reaches about {@code bytes}. */
    static byte[] gzipLines(long i, int bytes) throws IOException {
        Random r = new Random(i);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buf, true)) {
            int n = 0;
            while (buf.size() < bytes - 64 && n < 100_000) {
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < 4; k++, n++) {
                    sb.append(line(i * 1_000_003 + n)).append(" r=").append(Long.toHexString(r.nextLong())).append('\n');
                }
                gz.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                gz.flush();
            }
        }
        return buf.toByteArray();
    }

    /**
     * The server's own limit for a collapse: list every key, GET each (THREADS at a time), DeleteObjects; without
     * {@code delete}, the limit for a fetch (list and GETs).
     */
    static void limitCollapse(S3Client s3, String bucket, String prefix, int threads, boolean delete) throws Exception {
        long t0 = System.nanoTime();
        List<S3Object> objs = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(objs::add);
        long t1 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong read = new AtomicLong();
        List<Future<?>> fs = new ArrayList<>();
        for (S3Object o : objs) {
            fs.add(pool.submit(() -> {
                try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(o.key()))) {
                    read.addAndGet(in.transferTo(java.io.OutputStream.nullOutputStream()));
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        long t2 = System.nanoTime();
        for (int from = 0; delete && from < objs.size(); from += 1000) {
            List<ObjectIdentifier> ids = objs.subList(from, Math.min(objs.size(), from + 1000)).stream()
                    .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
            s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(ids).quiet(true).build()));
        }
        long t3 = System.nanoTime();
        System.out.printf("RESULT objects=%d bytes=%d seconds=%.3f list=%.3f get=%.3f delete=%.3f%n", objs.size(),
                read.get(), (t3 - t0) / 1e9, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
    }

    static long[] count(S3Client s3, String bucket, String prefix) {
        long n = 0;
        long bytes = 0;
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            n++;
            bytes += o.size();
        }
        return new long[] {n, bytes};
    }

    /** Objects, lines (gunzipped when the object is gzip) and stored bytes under a prefix. */
    static long[] lines(S3Client s3, String bucket, String prefix) throws IOException {
        long n = 0;
        long lines = 0;
        long bytes = 0;
        byte[] buf = new byte[1 << 16];
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            n++;
            bytes += o.size();
            try (InputStream raw = new java.io.BufferedInputStream(s3.getObject(b -> b.bucket(bucket).key(o.key())))) {
                raw.mark(2);
                boolean gz = raw.read() == 0x1f && raw.read() == 0x8b;
                raw.reset();
                try (InputStream in = gz ? new java.util.zip.GZIPInputStream(raw, 1 << 16) : raw) {
                    for (int r; (r = in.read(buf)) > 0; ) {
                        for (int i = 0; i < r; i++) {
                            if (buf[i] == '\n') {
                                lines++;
                            }
                        }
                    }
                }
            }
        }
        return new long[] {n, lines, bytes};
    }

    static long rm(S3Client s3, String bucket, String prefix) {
        List<S3Object> objs = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(objs::add);
        for (int from = 0; from < objs.size(); from += 1000) {
            List<ObjectIdentifier> ids = objs.subList(from, Math.min(objs.size(), from + 1000)).stream()
                    .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
            s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(ids).quiet(true).build()));
        }
        return objs.size();
    }
}
