package io.s3logroutes.fetch;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PollSummaryTest {

    @Test
    void onePollOneLineNoneWhenNothingWasRead() {
        PollSummary s = new PollSummary();
        assertThat(s.line()).isEmpty();
        Path out = Path.of("data/out/fetched.log");
        s.read(7472, 50, out);
        s.read(7000, 550, out);
        assertThat(s.line()).contains("Fetch: 600 events from 2 objects (14472 bytes) -> data/out/fetched.log");
        s.clear();
        assertThat(s.line()).isEmpty();
        s.read(10, 1, out);
        assertThat(s.line()).contains("Fetch: 1 event from 1 object (10 bytes) -> data/out/fetched.log");
    }

    @Test
    void badObjectsAndSeveralFilesAreNamed() {
        PollSummary s = new PollSummary();
        s.bad();
        assertThat(s.line()).contains("Fetch: 0 events from 0 objects (0 bytes), 1 bad object skipped");
        for (int i = 1; i <= 5; i++) {
            s.read(1, 2, Path.of("out/" + i + ".log"));
        }
        s.read(1, 2, Path.of("out/1.log"));
        s.bad();
        assertThat(s.line()).contains("Fetch: 12 events from 6 objects (6 bytes), 2 bad objects skipped"
                + " -> out/1.log, out/2.log, out/3.log and 2 more files");
    }
}
