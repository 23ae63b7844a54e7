package io.s3logroutes.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;

/**
 * Finds the S3Proxy jar the embedded S3 server runs from. In this order: the path of {@code s3logs.s3.embedded-jar}
 * when set; the copy inside the runnable jar ({@value #RESOURCE}, only the shaded jar carries it), extracted into the
 * server's state directory; {@code embedded/s3proxy.jar} or {@code s3proxy.jar} beside the application's jar (beside
 * {@code target/classes}, that is {@code target/embedded/}, when run from the build's classes). Nothing depends on
 * the working directory.
 */
public final class S3ProxyJar {

    /** Where the runnable jar holds S3Proxy's own jar. */
    public static final String RESOURCE = "s3-log-routes-embedded/s3proxy.jar";

    private static final String PREFIX = "s3proxy-";

    private S3ProxyJar() {
    }

    /** The jar to run, extracting the packaged copy into {@code cacheDir} when that is where it is. */
    public static Path locate(String explicit, Path cacheDir) throws IOException {
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            if (!Files.isRegularFile(p)) {
                throw new IOException("the S3Proxy jar " + p.toAbsolutePath() + " (s3logs.s3.embedded-jar) does not exist");
            }
            return p;
        }
        return locate(codeLocation(), cacheDir);
    }

    /** The same search for an application whose code is at {@code code} (a jar or a classes directory). */
    static Path locate(Path code, Path cacheDir) throws IOException {
        List<String> looked = new ArrayList<>();
        if (Files.isRegularFile(code)) {
            try (JarFile jar = new JarFile(code.toFile(), false)) {
                ZipEntry entry = jar.getEntry(RESOURCE);
                if (entry != null) {
                    return extract(jar, entry, cacheDir);
                }
            }
            looked.add("inside " + code + " (" + RESOURCE + ")");
        }
        Path dir = code.toAbsolutePath().getParent();
        for (Path beside : List.of(dir.resolve("embedded").resolve("s3proxy.jar"), dir.resolve("s3proxy.jar"))) {
            if (Files.isRegularFile(beside)) {
                return beside;
            }
            looked.add(beside.toString());
        }
        throw new IOException("no S3Proxy jar for the embedded S3 server: looked " + String.join(", ", looked)
                + "; use the runnable jar s3-log-routes.jar or set s3logs.s3.embedded-jar");
    }

    /**
     * Copies the entry to {@code cacheDir/s3proxy-<size>-<crc>.jar} unless a copy of that size and CRC-32 is there
     * already; a copy whose size or CRC differs from the entry's is refused. Earlier copies (other versions) and
     * partial copies are deleted.
     */
    static Path extract(JarFile jar, ZipEntry entry, Path cacheDir) throws IOException {
        long size = entry.getSize();
        long crc = entry.getCrc();
        Files.createDirectories(cacheDir);
        String name = PREFIX + size + "-" + Long.toHexString(crc) + ".jar";
        Path target = cacheDir.resolve(name);
        removeOthers(cacheDir, name);
        if (Files.isRegularFile(target) && Files.size(target) == size && crc(target) == crc) {
            return target;
        }
        Path part = Files.createTempFile(cacheDir, PREFIX, ".part");
        try {
            CRC32 sum = new CRC32();
            long copied;
            try (InputStream in = new CheckedInputStream(jar.getInputStream(entry), sum);
                 OutputStream out = Files.newOutputStream(part)) {
                copied = in.transferTo(out);
            }
            if (copied != size || sum.getValue() != crc) {
                throw new IOException("the S3Proxy jar inside " + jar.getName() + " is damaged: " + copied
                        + " bytes, CRC-32 " + Long.toHexString(sum.getValue()) + " where the entry says " + size
                        + " bytes, CRC-32 " + Long.toHexString(crc));
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static void removeOthers(Path cacheDir, String keep) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(cacheDir, PREFIX + "*")) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                if (!n.equals(keep) && (n.endsWith(".jar") || n.endsWith(".part"))) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    static long crc(Path file) throws IOException {
        CRC32 sum = new CRC32();
        try (InputStream in = new CheckedInputStream(Files.newInputStream(file), sum)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return sum.getValue();
    }

    /** The application's jar, or its classes directory. */
    static Path codeLocation() throws IOException {
        try {
            return Path.of(S3ProxyJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            // no code source, or one that is no file (a jar nested in another application's jar)
            throw new IOException("cannot tell where the application's code is: " + e.getMessage(), e);
        }
    }
}
