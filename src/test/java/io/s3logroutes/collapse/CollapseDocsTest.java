package io.s3logroutes.collapse;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every {@code s3logs.collapse.*} key of application.properties has its README row, and the README its section. */
class CollapseDocsTest {

    @Test
    void everyKeyHasARowAndTheSectionComesBeforeTests() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("application.properties"))) {
            p.load(r);
        }
        List<String> keys = p.stringPropertyNames().stream().filter(k -> k.startsWith("s3logs.collapse.")).sorted().toList();
        assertThat(keys).hasSize(16).contains("s3logs.collapse.cron", "s3logs.collapse.time-zone", "s3logs.collapse.grace");
        String readme = Files.readString(Path.of("README.md"));
        for (String k : keys) {
            assertThat(readme).as(k).contains("| `" + k + "` |");
        }
        assertThat(readme.indexOf("\n## Collapse\n")).isPositive().isLessThan(readme.indexOf("\n## Tests\n"));
        assertThat(readme).contains("collapse --from", "Exit status:");
    }
}
