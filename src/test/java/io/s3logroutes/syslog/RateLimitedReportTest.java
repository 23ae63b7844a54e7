package io.s3logroutes.syslog;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitedReportTest {

    @Test
    void reportsFirstThenOncePerIntervalThenOnRecovery() {
        RateLimitedReport r = new RateLimitedReport(Duration.ofMinutes(1));
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(r.occurred(t)).isEqualTo("1 since the last report (1 in all)");
        for (int i = 1; i <= 100; i++) {
            assertThat(r.occurred(t.plusMillis(i * 100L))).isNull();
        }
        assertThat(r.occurred(t.plusSeconds(60))).isEqualTo("101 since the last report (102 in all)");
        assertThat(r.occurred(t.plusSeconds(61))).isNull();
        assertThat(r.recovered(t.plusSeconds(62))).isEqualTo("1 since the last report (103 in all)");
        assertThat(r.recovered(t.plusSeconds(63))).isNull();
        assertThat(r.flush(t.plusSeconds(64))).isNull();
        assertThat(r.occurred(t.plusSeconds(65))).isNull();
        assertThat(r.flush(t.plusSeconds(66))).isEqualTo("1 since the last report (104 in all)");
        assertThat(r.total()).isEqualTo(104);
    }
}
