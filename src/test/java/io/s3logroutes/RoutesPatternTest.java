package io.s3logroutes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutesPatternTest {

    @TempDir
    Path dir;

    @Test
    void theShippedListIsTheRoutesFolder() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".camel.yaml")))
                    .containsExactlyInAnyOrderElementsOf(S3LogRoutesMain.SHIPPED_ROUTES);
        }
    }

    @Test
    void withoutARoutesFolderThePackagedRoutesLoad() {
        assertThat(S3LogRoutesMain.routesPattern(dir.resolve("routes")).split(","))
                .containsExactly("classpath:routes/ship.camel.yaml", "classpath:routes/fetch-s3.camel.yaml",
                        "classpath:routes/collapse-s3.camel.yaml", "classpath:routes/quickstart.camel.yaml");
    }

    @Test
    void aLocalFileReplacesThePackagedFileOfItsNameAndOthersAreAdded() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("ship.camel.yaml"), "");
        Files.writeString(routes.resolve("mine.camel.yaml"), "");
        Files.writeString(routes.resolve("notes.txt"), "");
        assertThat(S3LogRoutesMain.routesPattern(routes).split(","))
                .containsExactly("classpath:routes/fetch-s3.camel.yaml", "classpath:routes/collapse-s3.camel.yaml",
                        "classpath:routes/quickstart.camel.yaml", "file:" + routes + "/*.camel.yaml");
    }
}
