package io.s3logroutes.fetch;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.function.ToLongFunction;

/**
 * Loads the items of a list several at a time and hands them out strictly in list order. At most
 * {@code concurrency} items are loaded or waiting to be taken, and their sizes (known before loading, e.g. from a
 * listing) add up to at most {@code budget} bytes; an item larger than the whole budget, or of unknown size (negative),
 * is not loaded ahead: {@link #next()} returns it without a body and the caller reads it itself, in its turn.
 *
 * <p>A load that fails is reported by {@link #next()} when its item's turn comes, not before, so the items before it
 * are handed out first. {@link #close()} cancels what is still loading. Not thread-safe: one thread calls
 * {@code next()}.
 *
 * @param <T> the item (for fetch, a step of the plan)
 */
public final class ReadAhead<T> implements AutoCloseable {

    /** Loads one item's bytes; {@code null} means "not loaded, read it in its turn" (it turned out larger). */
    public interface Loader<T> {
        byte[] load(T item) throws IOException;
    }

    /** One item in list order with its bytes, or {@code body == null} when the caller reads it itself. */
    public record Slot<T>(T item, byte[] body) {
    }

    private final class Pending {
        final T item;
        final long reserved;
        final FutureTask<byte[]> task;

        Pending(T item, long reserved, FutureTask<byte[]> task) {
            this.item = item;
            this.reserved = reserved;
            this.task = task;
        }
    }

    private final List<T> items;
    private final ToLongFunction<T> size;
    private final Loader<T> loader;
    private final int concurrency;
    private final long budget;
    private final Executor executor;
    private final ArrayDeque<Pending> window = new ArrayDeque<>();
    private int started;
    private int taken;
    private long reserved;
    private boolean closed;

    public ReadAhead(List<T> items, ToLongFunction<T> size, Loader<T> loader, int concurrency, long budget,
                     Executor executor) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        this.items = List.copyOf(items);
        this.size = size;
        this.loader = loader;
        this.concurrency = concurrency;
        this.budget = budget;
        this.executor = executor;
    }

    public boolean hasNext() {
        return taken < items.size();
    }

    /** Bytes reserved by the items loaded or loading ahead (for tests and metrics). */
    public long reservedBytes() {
        return reserved;
    }

    /** Items loaded or loading ahead, not yet taken. */
    public int inFlight() {
        return window.size();
    }

    /**
     * The next item in list order, waiting for its load to finish.
     *
     * @throws IOException the item's load failed (as thrown by the loader, or wrapped when it was not an
     *                     {@code IOException}); a {@code RuntimeException} of the loader is rethrown as it is
     */
    public Slot<T> next() throws IOException {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (!hasNext()) {
            throw new java.util.NoSuchElementException();
        }
        fill();
        Pending p = window.pollFirst();
        taken++;
        if (p == null) {
            // nothing ahead: the item is larger than the budget (or of unknown size); the caller reads it
            started++;
            T item = items.get(taken - 1);
            fill();
            return new Slot<>(item, null);
        }
        try {
            byte[] body = p.task.get();
            return new Slot<>(p.item, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + p.item);
        } catch (CancellationException e) {
            throw new IOException("the load of " + p.item + " was cancelled", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error er) {
                throw er;
            }
            throw new IOException(c);
        } finally {
            reserved -= p.reserved;
            fill();
        }
    }

    /** Starts loads while the window has room: fewer than {@code concurrency} pending and the sizes fit the budget. */
    private void fill() {
        while (started < items.size() && window.size() < concurrency) {
            T item = items.get(started);
            long s = size.applyAsLong(item);
            if (s < 0 || s > budget) {
                // read in its turn by the caller; the loads behind it wait until it is taken
                return;
            }
            if (reserved + s > budget) {
                return;
            }
            FutureTask<byte[]> task = new FutureTask<>(() -> loader.load(item));
            window.addLast(new Pending(item, s, task));
            reserved += s;
            started++;
            executor.execute(task);
        }
    }

    /** Cancels the loads still running or queued (interrupting them) and drops the bodies not taken. */
    @Override
    public void close() {
        closed = true;
        for (Pending p : window) {
            p.task.cancel(true);
        }
        window.clear();
        reserved = 0;
    }
}
