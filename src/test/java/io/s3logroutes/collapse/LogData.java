package io.s3logroutes.collapse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Generated, realistic log objects: S3 server access log lines and CloudTrail JSON, and helpers to store them. */
final class LogData {

    private static final DateTimeFormatter ACCESS_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ACCESS_KEY = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");
    private static final DateTimeFormatter CT_KEY = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'");
    private static final String[] OPS = {"REST.GET.OBJECT", "REST.PUT.OBJECT", "REST.HEAD.OBJECT", "REST.GET.BUCKET",
            "REST.DELETE.OBJECT", "REST.GET.VERSIONING", "REST.COPY.OBJECT"};
    private static final String[] AGENTS = {"aws-cli/2.15.30 Python/3.11.8 Linux/6.1 exe/x86_64.amzn.2023",
            "S3Console/0.4", "aws-sdk-java/2.25.11 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.10", "Boto3/1.34.51 md/Botocore#1.34.51"};
    private static final String[] EVENTS = {"GetObject", "PutObject", "ListBuckets", "AssumeRole", "DescribeInstances",
            "ConsoleLogin", "CreateLogStream", "Decrypt"};

    private final Random rnd;

    LogData(long seed) {
        this.rnd = new Random(seed);
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        rnd.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** One S3 server access log line (the documented field order). */
    String accessLine(Instant t) {
        String op = OPS[rnd.nextInt(OPS.length)];
        String key = "logs/app-" + rnd.nextInt(100) + "/2024/part-" + rnd.nextInt(10_000) + ".json";
        int status = rnd.nextInt(20) == 0 ? 404 : 200;
        return hex(32) + " awsexamplebucket1 [" + ACCESS_TIME.format(t) + "] 192.0.2." + rnd.nextInt(255) + " "
                + "arn:aws:iam::123456789012:user/app-" + rnd.nextInt(9) + " " + hex(8).toUpperCase(Locale.ROOT) + " "
                + op + " " + key + " \"GET /awsexamplebucket1/" + key + " HTTP/1.1\" " + status + " "
                + (status == 404 ? "NoSuchKey" : "-") + " " + rnd.nextInt(50_000) + " " + rnd.nextInt(50_000) + " "
                + rnd.nextInt(200) + " " + rnd.nextInt(100) + " \"-\" \"" + AGENTS[rnd.nextInt(AGENTS.length)] + "\" - "
                + java.util.Base64.getEncoder().encodeToString(hex(24).getBytes(StandardCharsets.US_ASCII)).substring(0, 56)
                + " SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader awsexamplebucket1.s3.us-west-1.amazonaws.com TLSv1.2 - -";
    }

    /** An access log object: a few lines, as S3 delivers them. */
    byte[] accessObject(Instant t, int lines) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            sb.append(accessLine(t.plusMillis(i * 37L))).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code {prefix}YYYY-MM-DD-HH-MM-SS-UNIQUE}. */
    String accessKey(String prefix, LocalDateTime t) {
        return prefix + ACCESS_KEY.format(t) + "-" + hex(8).toUpperCase(Locale.ROOT);
    }

    /** A CloudTrail log file: {"Records":[...]} gzip-compressed. */
    byte[] cloudTrailObject(String account, String region, Instant t, int records) {
        StringBuilder sb = new StringBuilder("{\"Records\":[");
        for (int i = 0; i < records; i++) {
            if (i > 0) {
                sb.append(',');
            }
            String ev = EVENTS[rnd.nextInt(EVENTS.length)];
            sb.append("{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"AIDA")
                    .append(hex(8).toUpperCase(Locale.ROOT)).append("\",\"arn\":\"arn:aws:iam::").append(account)
                    .append(":user/ops-").append(rnd.nextInt(5)).append("\",\"accountId\":\"").append(account)
                    .append("\"},\"eventTime\":\"").append(t.plusSeconds(i)).append("\",\"eventSource\":\"")
                    .append(ev.startsWith("Get") || ev.startsWith("Put") ? "s3" : "ec2").append(".amazonaws.com\",")
                    .append("\"eventName\":\"").append(ev).append("\",\"awsRegion\":\"").append(region)
                    .append("\",\"sourceIPAddress\":\"198.51.100.").append(rnd.nextInt(255)).append("\",\"userAgent\":\"")
                    .append(AGENTS[rnd.nextInt(AGENTS.length)]).append("\",\"requestParameters\":{\"bucketName\":\"data-")
                    .append(rnd.nextInt(9)).append("\"},\"responseElements\":null,\"requestID\":\"")
                    .append(hex(8).toUpperCase(Locale.ROOT)).append("\",\"eventID\":\"").append(new UUID(rnd.nextLong(), rnd.nextLong()))
                    .append("\",\"readOnly\":").append(ev.startsWith("Get") || ev.startsWith("Describe"))
                    .append(",\"eventType\":\"AwsApiCall\",\"managementEvent\":").append(!ev.endsWith("Object"))
                    .append(",\"recipientAccountId\":\"").append(account).append("\",\"eventCategory\":\"Management\"}");
        }
        sb.append("]}");
        return gzip(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code AWSLogs/{account}/CloudTrail/{region}/YYYY/MM/DD/{account}_CloudTrail_{region}_YYYYMMDDTHHmmZ_UNIQUE.json.gz}. */
    String cloudTrailKey(String prefix, String account, String region, LocalDateTime t) {
        return prefix + "AWSLogs/" + account + "/CloudTrail/" + region + "/"
                + DateTimeFormatter.ofPattern("yyyy/MM/dd").format(t) + "/" + account + "_CloudTrail_" + region + "_"
                + CT_KEY.format(t) + "_" + hex(8) + ".json.gz";
    }

    /**
     * A period of access log objects under {@code prefix} for {@code day}: 1,050 small ones (more than one
     * DeleteObjects batch), two of 3 MiB (a multipart output with 5 MiB parts) and one of 6 MiB (copied
     * server-side), in key order.
     */
    SortedMap<String, byte[]> accessPeriod(String prefix, java.time.LocalDate day) {
        SortedMap<String, byte[]> m = new TreeMap<>();
        LocalDateTime t0 = day.atStartOfDay();
        for (int i = 0; i < 1_050; i++) {
            LocalDateTime t = t0.plusSeconds(i * 80L);
            m.put(accessKey(prefix, t), accessObject(t.toInstant(ZoneOffset.UTC), 1));
        }
        m.put(accessKey(prefix, t0.plusHours(23).plusMinutes(40)), bulkyLines(3 << 20));
        m.put(accessKey(prefix, t0.plusHours(23).plusMinutes(45)), bulkyLines(3 << 20));
        m.put(accessKey(prefix, t0.plusHours(23).plusMinutes(50)), bulkyLines(6 << 20));
        return m;
    }

    /** Lines of random base64 (not compressible much): for objects of several MiB. */
    byte[] bulkyLines(int bytes) {
        StringBuilder sb = new StringBuilder(bytes + 200);
        byte[] b = new byte[150];
        while (sb.length() < bytes) {
            rnd.nextBytes(b);
            sb.append(Instant.ofEpochSecond(1_700_000_000L + rnd.nextInt(86_400))).append(' ')
                    .append(java.util.Base64.getEncoder().encodeToString(b)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A gzip stream of stored (uncompressed) blocks: its size is the data's size plus a little, predictably. */
    static byte[] gzipStored(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 1024);
        try (GZIPOutputStream gz = new GZIPOutputStream(out) {
            {
                def.setLevel(java.util.zip.Deflater.NO_COMPRESSION);
            }
        }) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** What {@code zcat} prints: every member of a multi-member gzip stream, decompressed. */
    static byte[] zcat(byte[] data) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Length and SHA-256 of some bytes: what tests compare, so that a failure prints a short message. */
    static String digest(byte[] data) {
        try {
            return data.length + " bytes, sha256 " + HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] concat(SortedMap<String, byte[]> objects) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        objects.values().forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** Uploads with a pool of 8 threads (the in-memory test server takes about 5 ms per PUT). */
    static void putAll(S3Client s3, String bucket, Map<String, byte[]> objects) {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            objects.forEach((k, v) -> fs.add(pool.submit(() -> s3.putObject(b -> b.bucket(bucket).key(k),
                    RequestBody.fromBytes(v)))));
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("test data upload failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    static SortedMap<String, Long> list(S3Client s3, String bucket, String prefix) {
        SortedMap<String, Long> m = new TreeMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            m.put(o.key(), o.size());
        }
        return m;
    }

    static byte[] get(S3Client s3, String bucket, String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    static Map<String, String> map(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
