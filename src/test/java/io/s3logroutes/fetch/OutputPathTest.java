package io.s3logroutes.fetch;

import java.nio.file.Path;
import java.time.Instant;

import io.s3logroutes.config.ConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutputPathTest {

    static final Instant T = Instant.parse("2018-05-17T13:45:07Z");

    @Test
    void tokensComeFromTheKey() {
        OutputPath p = OutputPath.parse("k", "data/out/{server}/{yyyy-MM-dd}.log");
        assertThat(p.resolve("SERVER01/2018-05-17/13.45.07-000001.gz", T))
                .isEqualTo(Path.of("data/out/SERVER01/2018-05-17.log"));
        assertThat(p.resolve("logs/SERVER02/2018-05-17/13.45.07-3", T))
                .isEqualTo(Path.of("data/out/SERVER02/2018-05-17.log"));
        assertThat(OutputPath.parse("k", "out.log").resolve("anything", T)).isEqualTo(Path.of("out.log"));
    }

    @Test
    void aServerPartThatIsNoFileNameIsRefused() {
        OutputPath p = OutputPath.parse("k", "out/{server}.log");
        assertThatThrownBy(() -> p.resolve("../2018-05-17/13.45.07-1", T)).hasMessageContaining("'..'");
    }

    @Test
    void badTemplatesNameTheKey() {
        assertThatThrownBy(() -> OutputPath.parse("s3logs.fetch.output-file", "out/{nope"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("s3logs.fetch.output-file");
        assertThatThrownBy(() -> OutputPath.parse("s3logs.fetch.output-file", "out/{bogus-token-q}.log"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("{bogus-token-q}");
    }

    @Test
    void theDateOfTheFileIsTheDateInTheKeyInTheKeyTimeZone() {
        // a New York key of 22:30 on May 17 is 02:30Z on May 18; the file is still the 17th
        OutputPath p = OutputPath.parse("k", "out/{server}/{yyyy-MM-dd}.log", java.time.ZoneId.of("America/New_York"));
        ListedObject o = new ListedObject("NY01/2018-05-17/22.30.00-4", T, 1, "e");
        assertThat(p.fileOf(o)).isEqualTo(Path.of("out/NY01/2018-05-17.log"));
        assertThat(OutputPath.parse("k", "out/{server}/{yyyy-MM-dd}.log").fileOf(o))
                .isEqualTo(Path.of("out/NY01/2018-05-17.log"));
        assertThat(o.time(java.time.ZoneId.of("America/New_York"))).isEqualTo(Instant.parse("2018-05-18T02:30:00Z"));
    }
}
