package io.s3logroutes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import io.s3logroutes.config.StartupException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** s3logs.config-file and s3logs.routes-dir replace the working directory's application.properties and routes/. */
class ConfigLocationTest {

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty(S3LogRoutesMain.CONFIG_FILE);
        System.clearProperty(S3LogRoutesMain.ROUTES_DIR);
    }

    @Test
    void withoutThePropertiesTheWorkingDirectoryIsUsed() {
        assertThat(S3LogRoutesMain.propertyLocations()).startsWith("file:application.properties;optional=true,");
        assertThat(S3LogRoutesMain.routesDir()).isEqualTo(Path.of("routes"));
    }

    @Test
    void theNamedFileComesBeforeThePackagedOne() throws Exception {
        Path file = Files.writeString(dir.resolve("application.properties"), "s3logs.s3.bucket = b\n");
        System.setProperty(S3LogRoutesMain.CONFIG_FILE, file.toString());
        assertThat(S3LogRoutesMain.propertyLocations())
                .isEqualTo("file:" + file + ",classpath:application.properties;optional=true");
    }

    @Test
    void theNamedRoutesFolderReplacesTheWorkingDirectorysOne() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("fetch-s3.camel.yaml"), "- route: {}\n");
        System.setProperty(S3LogRoutesMain.ROUTES_DIR, routes.toString());
        assertThat(S3LogRoutesMain.routesDir()).isEqualTo(routes);
        assertThat(S3LogRoutesMain.routesPattern(S3LogRoutesMain.routesDir()))
                .contains("file:" + routes + "/*.camel.yaml").doesNotContain("classpath:routes/fetch-s3.camel.yaml");
    }

    @Test
    void aMissingFileOrFolderIsAStartupErrorNamingTheProperty() {
        System.setProperty(S3LogRoutesMain.CONFIG_FILE, dir.resolve("none.properties").toString());
        assertThatThrownBy(S3LogRoutesMain::propertyLocations).isInstanceOf(StartupException.class)
                .hasMessageContaining("none.properties").hasMessageContaining("s3logs.config-file");
        System.setProperty(S3LogRoutesMain.ROUTES_DIR, dir.resolve("no-routes").toString());
        assertThatThrownBy(S3LogRoutesMain::routesDir).isInstanceOf(StartupException.class)
                .hasMessageContaining("no-routes").hasMessageContaining("s3logs.routes-dir");
    }
}
