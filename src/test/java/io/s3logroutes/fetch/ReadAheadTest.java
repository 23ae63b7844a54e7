package io.s3logroutes.fetch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadAheadTest {

    static byte[] body(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<String> items(int n) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add("o" + i);
        }
        return l;
    }

    @Test
    void handsOutInListOrderWhateverOrderTheLoadsFinishIn() throws Exception {
        int n = 5;
        List<CountDownLatch> gates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            gates.add(new CountDownLatch(1));
        }
        List<String> finished = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch allStarted = new CountDownLatch(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try (ReadAhead<String> ahead = new ReadAhead<>(items(n), s -> 1, s -> {
            allStarted.countDown();
            int i = Integer.parseInt(s.substring(1));
            try {
                gates.get(i).await();
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            finished.add(s);
            return body(s);
        }, 8, 1000, pool)) {
            Thread opener = new Thread(() -> {
                try {
                    allStarted.await();
                    for (int i = n - 1; i >= 0; i--) {
                        int want = n - i;
                        gates.get(i).countDown();
                        while (finished.size() < want) {
                            Thread.onSpinWait();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            opener.start();
            List<String> got = new ArrayList<>();
            while (ahead.hasNext()) {
                ReadAhead.Slot<String> slot = ahead.next();
                got.add(slot.item() + "=" + new String(slot.body(), StandardCharsets.UTF_8));
            }
            opener.join(10_000);
            assertThat(finished).containsExactly("o4", "o3", "o2", "o1", "o0");
            assertThat(got).containsExactly("o0=o0", "o1=o1", "o2=o2", "o3=o3", "o4=o4");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void atMostConcurrencyItemsAreAhead() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        try (ReadAhead<String> ahead = new ReadAhead<>(items(10), s -> 1, s -> {
            loads.incrementAndGet();
            return body(s);
        }, 3, 1000, Runnable::run)) {
            int taken = 0;
            while (ahead.hasNext()) {
                ahead.next();
                taken++;
                assertThat(ahead.inFlight()).isLessThanOrEqualTo(3);
                assertThat(loads.get()).isEqualTo(Math.min(10, taken + 3));
            }
        }
    }

    @Test
    void theSizesAheadStayWithinTheBudget() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        try (ReadAhead<String> ahead = new ReadAhead<>(items(6), s -> 10, s -> {
            loads.incrementAndGet();
            return body(s);
        }, 8, 25, Runnable::run)) {
            assertThat(ahead.next().item()).isEqualTo("o0");
            assertThat(ahead.reservedBytes()).isEqualTo(20);
            assertThat(ahead.inFlight()).isEqualTo(2);
            assertThat(loads.get()).isEqualTo(3);
            while (ahead.hasNext()) {
                ahead.next();
                assertThat(ahead.reservedBytes()).isLessThanOrEqualTo(25);
            }
            assertThat(loads.get()).isEqualTo(6);
        }
    }

    @Test
    void anItemLargerThanTheBudgetOrOfUnknownSizeIsLeftToTheCallerInItsTurn() throws Exception {
        List<String> loaded = new ArrayList<>();
        List<String> list = List.of("small0", "big1", "small2", "unknown3", "small4");
        try (ReadAhead<String> ahead = new ReadAhead<>(list,
                s -> s.startsWith("big") ? 100 : s.startsWith("unknown") ? -1 : 10, s -> {
                    loaded.add(s);
                    return body(s);
                }, 8, 50, Runnable::run)) {
            List<String> got = new ArrayList<>();
            while (ahead.hasNext()) {
                ReadAhead.Slot<String> slot = ahead.next();
                got.add(slot.item() + (slot.body() == null ? ":caller" : ":ahead"));
            }
            assertThat(got).containsExactly("small0:ahead", "big1:caller", "small2:ahead", "unknown3:caller",
                    "small4:ahead");
            assertThat(loaded).containsExactly("small0", "small2", "small4");
        }
    }

    @Test
    void aFailedLoadIsReportedInItsTurnAndTheItemsBeforeItComeFirst() throws Exception {
        IOException io = new IOException("connection reset");
        IllegalStateException rt = new IllegalStateException("no such key");
        try (ReadAhead<String> ahead = new ReadAhead<>(items(4), s -> 1, s -> {
            if (s.equals("o1")) {
                throw io;
            }
            if (s.equals("o2")) {
                throw rt;
            }
            return body(s);
        }, 8, 100, Runnable::run)) {
            assertThat(ahead.next().item()).isEqualTo("o0");
            assertThatThrownBy(ahead::next).isSameAs(io);
            assertThatThrownBy(ahead::next).isSameAs(rt);
            assertThat(ahead.next().item()).isEqualTo("o3");
            assertThat(ahead.hasNext()).isFalse();
        }
    }

    @Test
    void closeInterruptsTheLoadsStillRunning() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch interrupted = new CountDownLatch(2);
        CountDownLatch never = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            ReadAhead<String> ahead = new ReadAhead<>(items(3), s -> 1, s -> {
                if (s.equals("o0")) {
                    return body(s);
                }
                started.countDown();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw new java.io.InterruptedIOException();
                }
                return body(s);
            }, 8, 100, pool);
            assertThat(ahead.next().item()).isEqualTo("o0");
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            ahead.close();
            assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ahead.reservedBytes()).isZero();
            assertThatThrownBy(ahead::next).isInstanceOf(IllegalStateException.class);
        } finally {
            pool.shutdownNow();
        }
    }
}
