package io.s3logroutes.embed;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryTest {

    final List<Duration> slept = new ArrayList<>();

    Retry retry(double random) {
        return new Retry(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> random, slept::add);
    }

    @Test
    void delaysDoubleUpToTheMaximum() {
        Retry r = retry(0.5); // no jitter at the middle of the range
        assertThat(List.of(1, 2, 3, 4, 6, 7, 8, 50).stream().map(r::delay).map(Duration::toMillis))
                .containsExactly(1000L, 2000L, 4000L, 8000L, 32000L, 60000L, 60000L, 60000L);
    }

    @Test
    void jitterStaysWithinFifteenPercent() {
        assertThat(retry(0.0).delay(2)).isEqualTo(Duration.ofMillis(1700));
        assertThat(retry(1.0).delay(2)).isEqualTo(Duration.ofMillis(2300));
        assertThat(retry(1.0).delay(100)).isEqualTo(Duration.ofMillis(69000));
    }

    @Test
    void retriesWithoutLimitUntilTheAttemptSucceeds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String result = retry(0.5).run("upload", () -> {
            if (calls.incrementAndGet() < 12) {
                throw new IOException("503 Slow Down");
            }
            return "stored";
        }, () -> true);
        assertThat(result).isEqualTo("stored");
        assertThat(calls).hasValue(12);
        assertThat(slept).hasSize(11);
        assertThat(slept.get(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(slept.get(10)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void stopsWhenToldAndKeepsTheLastFailure() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry(0.5).run("upload", () -> {
            throw new IOException("refused " + calls.incrementAndGet());
        }, () -> calls.get() < 3))
                .isInstanceOf(Retry.StoppedException.class)
                .hasMessageContaining("upload")
                .hasRootCauseMessage("refused 3");
        assertThat(slept).hasSize(2);
    }

    @Test
    void refusesAMaximumBelowTheInitialDelay() {
        assertThatThrownBy(() -> new Retry(Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .hasMessageContaining("initial <= max");
    }
}
