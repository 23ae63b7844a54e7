package io.s3logroutes.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the embedded server's S3Proxy jar comes from: inside the application's jar (extracted, checked) or beside it. */
class S3ProxyJarTest {

    @TempDir
    Path dir;

    static final byte[] CONTENT = "pretend this is S3Proxy".repeat(1000).getBytes(StandardCharsets.UTF_8);

    Path appJar(String entry, byte[] content) throws IOException {
        Path jar = dir.resolve("app").resolve("s3-log-routes.jar");
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new ZipEntry(entry));
            j.write(content);
            j.closeEntry();
        }
        return jar;
    }

    @Test
    void thePackagedCopyIsExtractedOnceAndReusedWhileItMatches() throws IOException {
        Path jar = appJar(S3ProxyJar.RESOURCE, CONTENT);
        Path cache = dir.resolve("data/s3");
        Path first = S3ProxyJar.locate(jar, cache);
        assertThat(first.getParent()).isEqualTo(cache);
        assertThat(first.getFileName().toString()).startsWith("s3proxy-" + CONTENT.length + "-").endsWith(".jar");
        assertThat(Files.readAllBytes(first)).isEqualTo(CONTENT);

        FileTime old = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(first, old);
        assertThat(S3ProxyJar.locate(jar, cache)).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(first)).as("reused, not written again").isEqualTo(old);
    }

    @Test
    void aDamagedCopyIsReplacedAndOtherVersionsAndPartialCopiesAreDeleted() throws IOException {
        Path jar = appJar(S3ProxyJar.RESOURCE, CONTENT);
        Path cache = Files.createDirectories(dir.resolve("data/s3"));
        Path stale = Files.writeString(cache.resolve("s3proxy-12-abc.jar"), "old version!");
        Path part = Files.writeString(cache.resolve("s3proxy-123.part"), "half");
        Path unrelated = Files.writeString(cache.resolve("s3proxy.log"), "log");
        Path first = S3ProxyJar.locate(jar, cache);
        byte[] damaged = CONTENT.clone();
        damaged[7] ^= 1;
        Files.write(first, damaged);

        Path again = S3ProxyJar.locate(jar, cache);
        assertThat(again).isEqualTo(first);
        assertThat(Files.readAllBytes(again)).isEqualTo(CONTENT);
        assertThat(stale).doesNotExist();
        assertThat(part).doesNotExist();
        assertThat(unrelated).exists();
        try (var files = Files.list(cache)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder(
                    first.getFileName().toString(), "s3proxy.log");
        }
    }

    @Test
    void withoutAPackagedCopyTheJarBesideIsUsed() throws IOException {
        Path jar = appJar("something/else.txt", CONTENT);
        Path beside = Files.createDirectories(jar.getParent().resolve("embedded")).resolve("s3proxy.jar");
        Files.write(beside, CONTENT);
        assertThat(S3ProxyJar.locate(jar, dir.resolve("cache"))).isEqualTo(beside);
        assertThat(dir.resolve("cache")).doesNotExist();

        Files.delete(beside);
        Path inLib = Files.write(jar.getParent().resolve("s3proxy.jar"), CONTENT);
        assertThat(S3ProxyJar.locate(jar, dir.resolve("cache"))).isEqualTo(inLib);
    }

    @Test
    void fromAClassesFolderTheBuildsCopyBesideItIsUsed() throws IOException {
        Path classes = Files.createDirectories(dir.resolve("target/classes"));
        Path copy = Files.createDirectories(dir.resolve("target/embedded")).resolve("s3proxy.jar");
        Files.write(copy, CONTENT);
        assertThat(S3ProxyJar.locate(classes, dir.resolve("cache"))).isEqualTo(copy);
    }

    @Test
    void noneFoundIsOneLineNamingEveryPlaceLookedAt() throws IOException {
        Path jar = appJar("something/else.txt", CONTENT);
        Path app = jar.getParent();
        assertThatThrownBy(() -> S3ProxyJar.locate(jar, dir.resolve("cache")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("inside " + jar + " (" + S3ProxyJar.RESOURCE + ")")
                .hasMessageContaining(app.resolve("embedded/s3proxy.jar").toString())
                .hasMessageContaining(app.resolve("s3proxy.jar").toString())
                .hasMessageContaining("s3logs.s3.embedded-jar")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void anExplicitPathMustExist() throws IOException {
        Path given = Files.write(dir.resolve("my-s3proxy.jar"), CONTENT);
        assertThat(S3ProxyJar.locate(given.toString(), dir.resolve("cache"))).isEqualTo(given);
        assertThatThrownBy(() -> S3ProxyJar.locate(dir.resolve("nope.jar").toString(), dir.resolve("cache")))
                .hasMessageContaining(dir.resolve("nope.jar").toString()).hasMessageContaining("s3logs.s3.embedded-jar");
    }
}
