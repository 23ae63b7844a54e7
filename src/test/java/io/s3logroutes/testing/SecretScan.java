package io.s3logroutes.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipInputStream;

/**
 * Finds secrets in files without holding them in plain text: a secret is recorded as its length and SHA-256
 * ({@link #record}), and the scanner hashes every window of that length in each run of hex digits it reads, so the
 * record itself is safe to keep in the build directory. It reads every regular file under a directory, the entries
 * of jar and zip files (nested ones included) and gzip files decompressed. It finds the secrets that tests use
 * (lower-case hex, as {@code EmbeddedS3Server} generates them) written in hex of either case.
 */
public final class SecretScan {

    static final String PREFIX = "secret-";

    /** By length, the SHA-256 (lower-case hex) of each secret to find. */
    private final Map<Integer, Set<String>> hashes;
    private final int maxLength;
    private long filesRead;
    private long bytesRead;

    public SecretScan(Map<Integer, Set<String>> hashes) {
        if (hashes.isEmpty()) {
            throw new IllegalArgumentException("no secret to look for");
        }
        this.hashes = hashes;
        this.maxLength = hashes.keySet().stream().mapToInt(i -> i).max().orElseThrow();
    }

    /** Remembers {@code secret} (hex) in {@code dir} as an empty file named after its length and SHA-256. */
    public static void record(Path dir, String secret) {
        try {
            Files.createDirectories(dir);
            Path f = dir.resolve(PREFIX + secret.length() + "-" + sha256(secret.toLowerCase()));
            if (!Files.exists(f)) {
                Files.createFile(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record a test secret in " + dir, e);
        }
    }

    /** The secrets recorded in {@code dir}, by length. */
    public static Map<Integer, Set<String>> recorded(Path dir) throws IOException {
        Map<Integer, Set<String>> m = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return m;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                if (n.startsWith(PREFIX)) {
                    String[] parts = n.substring(PREFIX.length()).split("-", 2);
                    m.computeIfAbsent(Integer.parseInt(parts[0]), k -> new TreeSet<>()).add(parts[1]);
                }
            }
        }
        return m;
    }

    /** Every place under {@code root} that holds a secret: a path, with {@code !entry} for archive members. */
    public List<String> scan(Path root) throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root)) {
            all.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        for (Path f : files) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(f), 64 * 1024)) {
                scan(f.toString(), f.getFileName().toString(), in, found);
            }
        }
        return found;
    }

    public long filesRead() {
        return filesRead;
    }

    public long bytesRead() {
        return bytesRead;
    }

    private void scan(String where, String name, InputStream in, List<String> found) throws IOException {
        filesRead++;
        String lower = name.toLowerCase();
        if (lower.endsWith(".jar") || lower.endsWith(".zip") || lower.endsWith(".war")) {
            ZipInputStream zip = new ZipInputStream(in);
            for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (!e.isDirectory()) {
                    scan(where + "!" + e.getName(), e.getName(), zip, found);
                }
            }
        } else if (lower.endsWith(".gz")) {
            scan(where + "!gunzip", lower.substring(0, lower.length() - 3), new GZIPInputStream(in), found);
        } else {
            if (holds(in)) {
                found.add(where);
            }
        }
    }

    /** Reads {@code in} to its end (not closing it); true when one of the secrets is in it. */
    boolean holds(InputStream in) throws IOException {
        char[] ring = new char[maxLength];
        long run = 0;
        boolean hit = false;
        byte[] buf = new byte[64 * 1024];
        int r;
        while ((r = in.read(buf)) > 0) {
            bytesRead += r;
            for (int i = 0; i < r; i++) {
                char c = Character.toLowerCase((char) (buf[i] & 0xff));
                if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) {
                    ring[(int) (run % maxLength)] = c;
                    run++;
                    if (!hit) {
                        hit = matches(ring, run);
                    }
                } else {
                    run = 0;
                }
            }
        }
        return hit;
    }

    /** Whether the last {@code length} hex digits read, for each length of a secret, are one of them. */
    private boolean matches(char[] ring, long run) {
        for (Map.Entry<Integer, Set<String>> e : hashes.entrySet()) {
            int len = e.getKey();
            if (run < len) {
                continue;
            }
            char[] window = new char[len];
            for (int k = 0; k < len; k++) {
                window[k] = ring[(int) ((run - len + k) % maxLength)];
            }
            if (e.getValue().contains(sha256(new String(window)))) {
                return true;
            }
        }
        return false;
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
