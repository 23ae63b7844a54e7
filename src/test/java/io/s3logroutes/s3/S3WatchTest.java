package io.s3logroutes.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The background probe after a start during an outage: a WARN line a minute at most, one INFO line, then quiet. */
class S3WatchTest {

    @Test
    void warnsOnceAMinuteWhileS3IsDownAndOnceInfoWhenItAnswers() {
        AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1000));
        BucketCheck.Failure down = new BucketCheck.Failure(S3Failures.Kind.OUTAGE,
                "S3 bucket 'logs' at http://127.0.0.1:9 is unreachable: Connection refused");
        AtomicReference<BucketCheck.Failure> answer = new AtomicReference<>(down);
        List<String> probes = new ArrayList<>();
        S3Watch watch = new S3Watch(() -> {
            probes.add("probe");
            return answer.get();
        }, now::get, now.get());

        List<String> lines = new ArrayList<>();
        // 150 s of probes every 5 s: the startup line was the first WARN, so two more (at 60 s and 120 s)
        for (int s = 5; s <= 150; s += 5) {
            now.set(TimeUnit.SECONDS.toNanos(1000 + s));
            String line = watch.tick();
            if (line != null) {
                lines.add(line);
            }
        }
        assertThat(probes).hasSize(30);
        assertThat(lines).hasSize(2).allSatisfy(l -> assertThat(l).startsWith(down.message()));
        assertThat(lines.get(0)).contains("for 60s");
        assertThat(lines.get(1)).contains("for 120s");
        assertThat(watch.answered()).isFalse();

        answer.set(null);
        now.addAndGet(TimeUnit.SECONDS.toNanos(5));
        assertThat(watch.tick()).isEqualTo("S3 answers again after 155s: uploads from the spool, fetch and collapse go on");
        assertThat(watch.answered()).isTrue();
        // then it stops probing
        assertThat(watch.tick()).isNull();
        assertThat(probes).hasSize(31);
    }

    @Test
    void theStartupLineSaysWhatGoesOn() {
        assertThat(S3Watch.startLine("S3 bucket 'b' at x is unreachable: Connection refused", true))
                .startsWith("S3 bucket 'b' at x is unreachable: Connection refused; starting anyway")
                .contains("/observe/health/ready is 503 until S3 answers").doesNotContain("\n");
        // without the HTTP server there is no endpoint to name
        assertThat(S3Watch.startLine("S3 bucket 'b' at x is unreachable: Connection refused", false))
                .contains("the readiness check is DOWN until S3 answers").doesNotContain("/observe");
    }
}
