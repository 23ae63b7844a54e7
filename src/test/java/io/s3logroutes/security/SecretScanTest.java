package io.s3logroutes.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import io.s3logroutes.testing.SecretScan;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scanner behind {@code BuildOutputSecretScan} finds a planted secret wherever the build could leave it. */
class SecretScanTest {

    @TempDir
    Path dir;

    String secret;
    SecretScan scan;

    @BeforeEach
    void setUp() throws IOException {
        byte[] b = new byte[20];
        new SecureRandom().nextBytes(b);
        secret = HexFormat.of().formatHex(b);
        SecretScan.record(dir.resolve("secrets"), secret);
        scan = new SecretScan(SecretScan.recorded(dir.resolve("secrets")));
        Files.createDirectories(dir.resolve("out"));
    }

    @Test
    void aCleanTreeHasNoFinding() throws IOException {
        Files.writeString(dir.resolve("out/report.xml"), "<property name=\"x\" value=\"" + secret.substring(1) + "\"/>");
        Files.writeString(dir.resolve("out/other.txt"), "deadbeef".repeat(20));
        assertThat(scan.scan(dir)).isEmpty();
        assertThat(scan.filesRead()).isEqualTo(3);
        // the record of the secret (in the tree too) gives nothing away
        assertThat(scan.scan(dir.resolve("secrets"))).isEmpty();
    }

    @Test
    void findsAPlantedSecretInAPlainFile() throws IOException {
        Files.writeString(dir.resolve("out/TEST-x.xml"), "<property name=\"aws.secretAccessKey\" value=\"" + secret + "\"/>");
        assertThat(scan.scan(dir)).containsExactly(dir.resolve("out/TEST-x.xml").toString());
    }

    @Test
    void findsItInsideALongerHexRunAndInUpperCase() throws IOException {
        Files.writeString(dir.resolve("out/a.log"), "key=00ff" + secret + "aa\n");
        Files.writeString(dir.resolve("out/b.log"), "KEY=" + secret.toUpperCase() + "\n");
        assertThat(scan.scan(dir)).containsExactly(dir.resolve("out/a.log").toString(),
                dir.resolve("out/b.log").toString());
    }

    @Test
    void findsItInAJarEntryANestedJarAndAGzipFile() throws IOException {
        byte[] inner = zip("BOOT-INF/classes/app.properties", ("secret=" + secret).getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("out/app.jar"), zip("lib/inner.jar", inner));
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(dir.resolve("out/run.log.gz")))) {
            o.write(("line\n" + secret + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Files.write(dir.resolve("out/clean.jar"), zip("a.txt", "nothing here".getBytes(StandardCharsets.UTF_8)));
        List<String> found = scan.scan(dir);
        assertThat(found).containsExactly(
                dir.resolve("out/app.jar") + "!lib/inner.jar!BOOT-INF/classes/app.properties",
                dir.resolve("out/run.log.gz") + "!gunzip");
    }

    @Test
    void nothingToLookForIsAnError() {
        assertThatThrownBy(() -> new SecretScan(java.util.Map.of())).isInstanceOf(IllegalArgumentException.class);
    }

    static byte[] zip(String name, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry(name));
            z.write(content);
            z.closeEntry();
        }
        return bytes.toByteArray();
    }
}
