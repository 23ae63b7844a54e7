package io.s3logroutes.fetch;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommitPacerTest {

    static final long S = 1_000_000_000L;

    @Test
    void aCommitIsDueOnceTheIntervalHasPassedAndOnlyWithAKeyPending() {
        CommitPacer p = new CommitPacer(Duration.ofSeconds(1), 0);
        assertThat(p.due(5 * S)).isFalse();
        p.written("a-1", 100);
        assertThat(p.due(S / 2)).isFalse();
        p.written("a-2", 250);
        assertThat(p.due(S)).isTrue();
        assertThat(p.pendingKey()).isEqualTo("a-2");
        assertThat(p.pendingLength()).isEqualTo(250);
        p.committed(S);
        assertThat(p.pendingKey()).isNull();
        p.written("a-3", 300);
        assertThat(p.due(S + S / 2)).isFalse();
        assertThat(p.due(2 * S)).isTrue();
    }

    @Test
    void anObjectWithoutACommitKeyLeavesThePendingKeyAndLengthWhereTheyWere() {
        CommitPacer p = new CommitPacer(Duration.ofSeconds(1), 0);
        p.written("x-1", 10);
        p.written(null, 20);
        p.written(null, 30);
        assertThat(p.pendingKey()).isEqualTo("x-1");
        assertThat(p.pendingLength()).isEqualTo(10);
        p.written("x-9", 40);
        assertThat(p.pendingKey()).isEqualTo("x-9");
        assertThat(p.pendingLength()).isEqualTo(40);
    }

    @Test
    void aBadObjectMakesTheNextCommitDueAtOnce() {
        CommitPacer p = new CommitPacer(Duration.ofMinutes(1), 0);
        p.urgent();
        assertThat(p.due(1)).isFalse();
        p.written(null, 5);
        assertThat(p.due(1)).isFalse();
        p.written("k", 5);
        assertThat(p.due(1)).isTrue();
        p.committed(2);
        p.written("l", 6);
        assertThat(p.due(3)).isFalse();
    }

    @Test
    void aZeroIntervalCommitsAfterEveryKeyAndResetDropsThePending() {
        CommitPacer p = new CommitPacer(Duration.ZERO, 0);
        p.written("k", 1);
        assertThat(p.due(0)).isTrue();
        p.reset();
        assertThat(p.pendingKey()).isNull();
        assertThat(p.due(0)).isFalse();
    }
}
