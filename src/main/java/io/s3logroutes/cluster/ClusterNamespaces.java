package io.s3logroutes.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Election names ("namespaces" in Camel's cluster API). Each one is a lock file name under
 * {@code s3logs.cluster.lock-dir} and part of a Kubernetes Lease name, so it is at most 63 lower-case letters,
 * digits and '-'. A readable part (bucket and prefix) is followed by a hash of the exact bucket and prefix, so that
 * two prefixes that read alike ({@code A/} and {@code a_}) still get two elections.
 */
public final class ClusterNamespaces {

    static final int MAX = 63;
    private static final Pattern DNS = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private ClusterNamespaces() {
    }

    /** The election of the fetch flow for one bucket and prefix: {@code s3logs-fetch-logs-server01-1a2b3c4d}. */
    public static String fetch(String bucket, String prefix) {
        return name("s3logs-fetch", bucket, prefix);
    }

    /** The election of the collapse schedule for one bucket and input prefix. */
    public static String collapse(String bucket, String inputPrefix) {
        return name("s3logs-collapse", bucket, inputPrefix);
    }

    static boolean isDnsName(String s) {
        return DNS.matcher(s).matches();
    }

    static String name(String head, String bucket, String prefix) {
        String hash = hash(bucket + "\n" + prefix);
        String readable = safe(bucket) + (safe(prefix).isEmpty() ? "" : "-" + safe(prefix));
        int room = MAX - head.length() - hash.length() - 2;
        if (readable.length() > room) {
            readable = readable.substring(0, room).replaceAll("-+$", "");
        }
        return readable.isEmpty() ? head + "-" + hash : head + "-" + readable + "-" + hash;
    }

    static String safe(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
