package io.s3logroutes.collapse;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The listing that checks a delete batch's ETags: where it starts and stops, in S3's key order (UTF-8 bytes). */
class InputDeleterTest {

    @Test
    void theListingStartsJustBeforeTheSmallestKeyUnderTheCommonPrefix() {
        InputDeleter.ListRange r = InputDeleter.ListRange.of(List.of("logs/2014-12-31-23-59-59-ZZZ",
                "logs/2014-12-31-00-00-00-AAA", "logs/2014-12-31-12-00-00-MMM"));
        assertThat(r.prefix()).isEqualTo("logs/2014-12-31-");
        assertThat(r.startAfter()).isEqualTo("logs/2014-12-31-00-00-00-AA");
        assertThat(r.isPast("logs/2014-12-31-23-59-59-ZZZ")).isFalse();
        assertThat(r.isPast("logs/2014-12-31-23-59-59-ZZZ0")).isTrue();
        assertThat(r.isPast("logs/2015")).isTrue();
    }

    @Test
    void oneKeyIsItsOwnPrefix() {
        InputDeleter.ListRange r = InputDeleter.ListRange.of(List.of("logs/a.gz"));
        assertThat(r.prefix()).isEqualTo("logs/a.gz");
        assertThat(r.startAfter()).isEqualTo("logs/a.g");
        assertThat(r.keys()).containsExactly("logs/a.gz");
    }

    @Test
    void keysSortAsUtf8BytesAndThePrefixNeverSplitsACharacter() {
        // U+FFFD sorts before U+1F600 in UTF-8 (EF BF BD < F0 9F 98 80) but after it in UTF-16 (FFFD > D83D)
        InputDeleter.ListRange r = InputDeleter.ListRange.of(List.of("a\uD83D\uDE00", "a\uFFFD"));
        assertThat(r.startAfter()).isEqualTo("a");
        assertThat(r.isPast("a\uD83D\uDE00")).isFalse();
        assertThat(r.isPast("a\uD83D\uDE01")).isTrue();
        // two emoji that share their high surrogate: the prefix stops before it
        InputDeleter.ListRange e = InputDeleter.ListRange.of(List.of("x\uD83D\uDE00", "x\uD83D\uDE01"));
        assertThat(e.prefix()).isEqualTo("x");
        assertThat(e.startAfter()).isEqualTo("x");
    }
}
