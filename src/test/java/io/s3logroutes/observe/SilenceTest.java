package io.s3logroutes.observe;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SilenceTest {

    static final long START = 1_000_000_000L;

    @Test
    void aFlowWithoutSuccessCountsFromTheStart() {
        Map<String, Duration> limits = Map.of("ship", Duration.ofSeconds(10));
        Map<String, LongSupplier> last = Map.of("ship", () -> 0);
        assertThat(Silence.problem(limits, last, START, START + 10_000)).isNull();
        assertThat(Silence.problem(limits, last, START, START + 10_001))
                .isEqualTo("ship: no success in the 10s since start, more than s3logs.health.ship-max-silence=10s");
    }

    @Test
    void onlyFlowsPastTheirLimitAreNamed() {
        Map<String, Duration> limits = new LinkedHashMap<>();
        limits.put("ship", Duration.ofSeconds(10));
        limits.put("fetch", Duration.ofMinutes(1));
        limits.put("collapse", Duration.ofDays(2));
        long now = START + 3_600_000;
        Map<String, LongSupplier> last = Map.of("ship", () -> now - 5_000, "fetch", () -> now - 61_000,
                "collapse", () -> now - 86_400_000);
        assertThat(Silence.problem(limits, last, START, now))
                .isEqualTo("fetch: last success 61s ago, more than s3logs.health.fetch-max-silence=60s");
        Map<String, LongSupplier> recent = Map.of("ship", () -> now, "fetch", () -> now, "collapse", () -> now);
        assertThat(Silence.problem(limits, recent, START, now)).isNull();
    }

    @Test
    void aFlowThatRegisteredNoTimeIsSilentSinceTheStart() {
        assertThat(Silence.problem(Map.of("collapse", Duration.ofSeconds(1)), Map.of(), START, START + 2_000))
                .startsWith("collapse: no success in the 2s since start");
    }
}
