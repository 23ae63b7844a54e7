package io.s3logroutes.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A LISTING STUB, not an S3 server: it answers just the S3 calls that collapse makes, for {@code N} synthetic
 * objects of one period that exist only as numbers, so that the collapse of a million objects can be measured
 * where no real server here holds a million keys in reasonable time. Used by {@code bench/run.sh scale} only.
 * <ul>
 *   <li>keys {@code PREFIX2014-12-31-00-00-00-%016X} for 0..N-1, each with the same generated body of SIZE bytes
 *       (access-log lines) and so the same ETag (its MD5); ListObjectsV2 pages of 1,000 in key order (prefix,
 *       start-after, continuation-token); GetObject with If-Match and Range; DeleteObjects marks them deleted;</li>
 *   <li>PutObject, multipart uploads (create, parts, complete, abort, list) and HeadObject for the objects collapse
 *       writes: only their size and ETag are kept, the bytes are counted and dropped; If-None-Match: * holds;</li>
 *   <li>HeadBucket; no authentication is checked.</li>
 * </ul>
 * Usage: {@code ListingStubBench PORT BUCKET PREFIX N SIZE}; prints {@code READY} once listening, and on every
 * {@code GET /_stats} the counts of calls.
 */
public final class ListingStubBench {

    private static final String DAY = "2014-12-31-00-00-00-";
    private static final Pattern KEY_XML = Pattern.compile("<Key>([^<]*)</Key>");
    private static final Pattern PART_XML = Pattern.compile("<PartNumber>(\\d+)</PartNumber>");

    private final String bucket;
    private final String prefix;
    private final int n;
    private final byte[] body;
    private final String etag;
    private final BitSet deleted = new BitSet();
    private final NavigableMap<String, long[]> stored = new ConcurrentSkipListMap<>();   // key -> {size}
    private final Map<String, Map<Integer, Long>> uploads = new ConcurrentHashMap<>();     // uploadId -> parts
    private final Map<String, String> uploadKeys = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    private ListingStubBench(String bucket, String prefix, int n, int size) throws Exception {
        this.bucket = bucket;
        this.prefix = prefix;
        this.n = n;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < size; i++) {
            sb.append("79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be bench [31/Dec/2014:00:00:")
                    .append(String.format("%02d", i % 60)).append(" +0000] 192.0.2.3 - REST.GET.OBJECT key 200\n");
        }
        this.body = sb.substring(0, size).getBytes(StandardCharsets.US_ASCII);
        this.etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body)) + "\"";
    }

    public static void main(String[] a) throws Exception {
        ListingStubBench stub = new ListingStubBench(a[1], a[2], Integer.parseInt(a[3]), Integer.parseInt(a[4]));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(a[0])), 256);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", ex -> {
            try {
                stub.handle(ex);
            } catch (Exception e) {
                e.printStackTrace();
                send(ex, 500, "<Error><Code>InternalError</Code><Message>" + e + "</Message></Error>");
            } finally {
                ex.close();
            }
        });
        server.start();
        System.out.println("READY");
    }

    private String key(int i) {
        return prefix + DAY + String.format("%016X", i);
    }

    /** The index of a synthetic key; -1 if it is not one. */
    private int index(String key) {
        if (!key.startsWith(prefix + DAY) || key.length() != prefix.length() + DAY.length() + 16) {
            return -1;
        }
        try {
            long i = Long.parseLong(key.substring(prefix.length() + DAY.length()), 16);
            return i < n ? (int) i : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The first synthetic index whose key is after {@code after} (keys are in index order). */
    private int firstAfter(String after) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (key(mid).compareTo(after) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void count(String what) {
        calls.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = URLDecoder.decode(ex.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        if (path.equals("/_stats")) {
            send(ex, 200, calls.toString() + " deleted=" + deleted.cardinality() + " stored=" + stored.keySet());
            return;
        }
        String rest = path.startsWith("/" + bucket) ? path.substring(bucket.length() + 1) : path;
        String key = rest.startsWith("/") ? rest.substring(1) : rest;
        if (key.isEmpty()) {
            switch (method) {
                case "HEAD" -> { count("HeadBucket"); send(ex, 200, null); }
                case "GET" -> {
                    if (q.containsKey("uploads")) {
                        count("ListMultipartUploads");
                        listUploads(ex, q.getOrDefault("prefix", ""));
                    } else {
                        count("ListObjectsV2");
                        list(ex, q);
                    }
                }
                case "POST" -> { count("DeleteObjects"); deleteObjects(ex); }
                default -> send(ex, 405, null);
            }
            return;
        }
        switch (method) {
            case "GET", "HEAD" -> object(ex, key, method.equals("HEAD"));
            case "PUT" -> {
                if (q.containsKey("uploadId")) {
                    count("UploadPart");
                    long len = drain(ex.getRequestBody());
                    uploads.get(q.get("uploadId")).put(Integer.parseInt(q.get("partNumber")), len);
                    ex.getResponseHeaders().add("ETag", "\"part" + q.get("partNumber") + "\"");
                    send(ex, 200, null);
                } else {
                    count("PutObject");
                    if (exists(key) && "*".equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
                        drain(ex.getRequestBody());
                        send(ex, 412, "<Error><Code>PreconditionFailed</Code></Error>");
                        return;
                    }
                    stored.put(key, new long[] {drain(ex.getRequestBody())});
                    ex.getResponseHeaders().add("ETag", "\"put\"");
                    send(ex, 200, null);
                }
            }
            case "POST" -> {
                if (q.containsKey("uploads")) {
                    count("CreateMultipartUpload");
                    String id = "u" + ids.incrementAndGet();
                    uploads.put(id, new ConcurrentHashMap<>());
                    uploadKeys.put(id, key);
                    send(ex, 200, "<InitiateMultipartUploadResult><Bucket>" + bucket + "</Bucket><Key>" + xml(key)
                            + "</Key><UploadId>" + id + "</UploadId></InitiateMultipartUploadResult>");
                } else {
                    count("CompleteMultipartUpload");
                    String doc = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    Map<Integer, Long> parts = uploads.remove(q.get("uploadId"));
                    uploadKeys.remove(q.get("uploadId"));
                    if (exists(key) && "*".equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
                        send(ex, 412, "<Error><Code>PreconditionFailed</Code></Error>");
                        return;
                    }
                    long size = 0;
                    Matcher m = PART_XML.matcher(doc);
                    while (m.find()) {
                        size += parts.get(Integer.parseInt(m.group(1)));
                    }
                    stored.put(key, new long[] {size});
                    send(ex, 200, "<CompleteMultipartUploadResult><Bucket>" + bucket + "</Bucket><Key>" + xml(key)
                            + "</Key><ETag>\"mp\"</ETag></CompleteMultipartUploadResult>");
                }
            }
            case "DELETE" -> {
                count(q.containsKey("uploadId") ? "AbortMultipartUpload" : "DeleteObject");
                if (q.containsKey("uploadId")) {
                    uploads.remove(q.get("uploadId"));
                    uploadKeys.remove(q.get("uploadId"));
                } else {
                    stored.remove(key);
                    int i = index(key);
                    if (i >= 0) {
                        synchronized (deleted) {
                            deleted.set(i);
                        }
                    }
                }
                send(ex, 204, null);
            }
            default -> send(ex, 405, null);
        }
    }

    private boolean exists(String key) {
        int i = index(key);
        if (i >= 0) {
            synchronized (deleted) {
                return !deleted.get(i);
            }
        }
        return stored.containsKey(key);
    }

    private void object(HttpExchange ex, String key, boolean head) throws IOException {
        count(head ? "HeadObject" : "GetObject");
        int i = index(key);
        boolean synthetic = i >= 0 && exists(key);
        long[] st = stored.get(key);
        if (!synthetic && st == null) {
            send(ex, 404, head ? null : "<Error><Code>NoSuchKey</Code><Key>" + xml(key) + "</Key></Error>");
            return;
        }
        String tag = synthetic ? etag : "\"put\"";
        long size = synthetic ? body.length : st[0];
        String ifMatch = ex.getRequestHeaders().getFirst("If-Match");
        if (ifMatch != null && !ifMatch.replace("\"", "").equals(tag.replace("\"", ""))) {
            send(ex, 412, "<Error><Code>PreconditionFailed</Code></Error>");
            return;
        }
        ex.getResponseHeaders().add("ETag", tag);
        ex.getResponseHeaders().add("Last-Modified", "Wed, 31 Dec 2014 00:00:00 GMT");
        ex.getResponseHeaders().add("Content-Type", "text/plain");
        if (head || !synthetic) {
            ex.getResponseHeaders().add("Content-Length", Long.toString(size));
            ex.sendResponseHeaders(200, -1);
            return;
        }
        String range = ex.getRequestHeaders().getFirst("Range");
        int from = 0;
        int to = body.length - 1;
        int status = 200;
        if (range != null && range.startsWith("bytes=")) {
            String[] r = range.substring(6).split("-");
            from = Integer.parseInt(r[0]);
            to = r.length > 1 && !r[1].isEmpty() ? Math.min(to, Integer.parseInt(r[1])) : to;
            status = 206;
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + body.length);
        }
        ex.sendResponseHeaders(status, to - from + 1);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body, from, to - from + 1);
        }
    }

    private void list(HttpExchange ex, Map<String, String> q) throws IOException {
        String p = q.getOrDefault("prefix", "");
        int max = Math.min(1000, Integer.parseInt(q.getOrDefault("max-keys", "1000")));
        String after = q.getOrDefault("continuation-token", q.getOrDefault("start-after", ""));
        int i = Math.max(firstAfter(after), firstAtLeast(p));
        var storedIt = stored.tailMap(after, false).entrySet().iterator();
        Map.Entry<String, long[]> s = next(storedIt, p);
        StringBuilder items = new StringBuilder();
        int count = 0;
        String last = null;
        while (true) {
            while (i < n && deletedAt(i)) {
                i++;
            }
            String sk = i < n && key(i).startsWith(p) ? key(i) : null;
            if (sk == null && s == null || count == max) {
                break;
            }
            if (s == null || sk != null && sk.compareTo(s.getKey()) < 0) {
                items.append(contents(sk, body.length, etag));
                last = sk;
                i++;
            } else {
                items.append(contents(s.getKey(), s.getValue()[0], "\"put\""));
                last = s.getKey();
                s = next(storedIt, p);
            }
            count++;
        }
        boolean more = count == max && (i < n && key(i).startsWith(p) || s != null);
        StringBuilder sb = new StringBuilder("<ListBucketResult><Name>").append(bucket).append("</Name><Prefix>")
                .append(xml(p)).append("</Prefix><MaxKeys>").append(max).append("</MaxKeys><KeyCount>").append(count)
                .append("</KeyCount><IsTruncated>").append(more).append("</IsTruncated>");
        if (more) {
            sb.append("<NextContinuationToken>").append(xml(last)).append("</NextContinuationToken>");
        }
        sb.append(items).append("</ListBucketResult>");
        send(ex, 200, sb.toString());
    }

    /** The first synthetic index whose key is {@code k} or after it. */
    private int firstAtLeast(String k) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (key(mid).compareTo(k) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static Map.Entry<String, long[]> next(java.util.Iterator<Map.Entry<String, long[]>> it, String p) {
        while (it.hasNext()) {
            Map.Entry<String, long[]> e = it.next();
            if (e.getKey().startsWith(p)) {
                return e;
            }
            if (e.getKey().compareTo(p) > 0) {
                return null;
            }
        }
        return null;
    }

    private boolean deletedAt(int i) {
        synchronized (deleted) {
            return deleted.get(i);
        }
    }

    private static String contents(String key, long size, String tag) {
        return "<Contents><Key>" + xml(key) + "</Key><LastModified>2014-12-31T00:00:00.000Z</LastModified><ETag>"
                + xml(tag) + "</ETag><Size>" + size + "</Size><StorageClass>STANDARD</StorageClass></Contents>";
    }

    private void listUploads(HttpExchange ex, String p) throws IOException {
        StringBuilder sb = new StringBuilder("<ListMultipartUploadsResult><Bucket>").append(bucket)
                .append("</Bucket><IsTruncated>false</IsTruncated>");
        uploadKeys.forEach((id, k) -> {
            if (k.startsWith(p)) {
                sb.append("<Upload><Key>").append(xml(k)).append("</Key><UploadId>").append(id)
                        .append("</UploadId></Upload>");
            }
        });
        send(ex, 200, sb.append("</ListMultipartUploadsResult>").toString());
    }

    private void deleteObjects(HttpExchange ex) throws IOException {
        String doc = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Matcher m = KEY_XML.matcher(doc);
        while (m.find()) {
            String k = m.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
            int i = index(k);
            if (i >= 0) {
                synchronized (deleted) {
                    deleted.set(i);
                }
            } else {
                stored.remove(k);
            }
        }
        send(ex, 200, "<DeleteResult></DeleteResult>");
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buf = new byte[64 << 10];
        long total = 0;
        for (int r; (r = in.read(buf)) > 0; ) {
            total += r;
        }
        return total;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) {
            return q;
        }
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
            q.put(k, eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void send(HttpExchange ex, int status, String xmlBody) throws IOException {
        if (xmlBody == null) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        byte[] b = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + xmlBody).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/xml");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}
