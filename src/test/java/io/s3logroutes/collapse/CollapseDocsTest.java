package io.s3logroutes.collapse;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code s3logs.collapse.*} key of application.properties has its row in docs/settings.md, and docs/collapse.md
 * is the collapse page, with the backlog command and its exit status.
 */
class CollapseDocsTest {

    @Test
    void everyKeyHasARowAndCollapseHasItsPage() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("application.properties"))) {
            p.load(r);
        }
        List<String> keys = p.stringPropertyNames().stream().filter(k -> k.startsWith("s3logs.collapse.")).sorted().toList();
        assertThat(keys).hasSize(17).contains("s3logs.collapse.cron", "s3logs.collapse.time-zone", "s3logs.collapse.grace");
        String settings = Files.readString(Path.of("docs/settings.md"));
        for (String k : keys) {
            assertThat(settings).as(k).contains("| `" + k + "` |");
        }
        String page = Files.readString(Path.of("docs/collapse.md"));
        assertThat(page).startsWith("# Collapse");
        int algorithm = page.indexOf("\n## Algorithm\n");
        int crashResume = page.indexOf("\n## Crash-resume\n");
        int backlog = page.indexOf("\n## Backlog command\n");
        assertThat(algorithm).isPositive().isLessThan(crashResume);
        assertThat(crashResume).isLessThan(backlog);
        assertThat(page.substring(backlog)).contains("collapse --from", "Exit status:");
        assertThat(Files.readString(Path.of("README.md"))).contains("](docs/collapse.md)");
    }
}
