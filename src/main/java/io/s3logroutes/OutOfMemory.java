package io.s3logroutes;

import java.io.PrintStream;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Running out of memory ends the process with one line on standard error and exit status {@value #STATUS}, never a
 * stack trace: wherever the {@link OutOfMemoryError} surfaces (the main thread, any other thread, a failed Camel
 * exchange). Nothing is lost by it: each flow commits its input only after the data is durable, so the next start
 * redoes what was in progress. The process stops at once ({@link Runtime#halt}): after an OutOfMemoryError its state
 * cannot be trusted, and a graceful shutdown would need memory too.
 */
public final class OutOfMemory {

    /** The exit status after an OutOfMemoryError (the JVM's own -XX:+ExitOnOutOfMemoryError uses 3 as well). */
    public static final int STATUS = 3;

    /** Freed when memory runs out, so that the line can still be written. */
    private static volatile byte[] reserve = new byte[256 << 10];

    private OutOfMemory() {
    }

    /** Every thread without its own handler ends the process on an OutOfMemoryError (other errors as before). */
    public static void install() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (find(e) != null) {
                exit(e, t.getName());
            }
            if (previous != null) {
                previous.uncaughtException(t, e);
            } else {
                System.err.print("Exception in thread \"" + t.getName() + "\" ");
                e.printStackTrace();
            }
        });
    }

    /** The OutOfMemoryError among {@code t} and its causes; null if none. */
    public static OutOfMemoryError find(Throwable t) {
        for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                return oom;
            }
        }
        return null;
    }

    /** The one line: what ran out, where, the heap limit, and what to do. */
    static String line(Throwable e, String thread) {
        OutOfMemoryError oom = find(e);
        String what = oom == null || oom.getMessage() == null ? "memory" : oom.getMessage();
        long max = Runtime.getRuntime().maxMemory();
        return "s3-log-routes: out of memory (" + what + ") in thread " + thread + ", with a heap limit of "
                + (max >> 20) + " MiB; stopped, nothing committed is lost and the next start redoes the work in"
                + " progress; give the JVM more memory (e.g. JAVA_OPTS=-Xmx" + suggest(max) + ") or lower the"
                + " concurrency or part size of the flow that ran out (docs/operations.md#out-of-memory)";
    }

    private static String suggest(long max) {
        long mib = Math.max(256, Long.highestOneBit(Math.max(1, max >> 20)) * 2);
        return mib + "m";
    }

    /** Writes the line to standard error and halts with {@value #STATUS}. */
    public static void exit(Throwable e, String thread) {
        reserve = null;
        PrintStream err = System.err;
        try {
            err.println(line(e, thread));
            err.flush();
        } catch (Throwable ignored) {
            // even the line may not fit: the status still says what happened
            err.println("s3-log-routes: out of memory; give the JVM more memory (-Xmx)");
        }
        Runtime.getRuntime().halt(STATUS);
    }

    /** A failed exchange whose exception is an OutOfMemoryError ends the process the same way. */
    public static final class Notifier extends EventNotifierSupport {
        @Override
        public void notify(CamelEvent event) {
            if (event instanceof CamelEvent.ExchangeFailedEvent f && find(f.getExchange().getException()) != null) {
                exit(f.getExchange().getException(), Thread.currentThread().getName());
            }
        }

        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof CamelEvent.ExchangeFailedEvent;
        }

        @Override
        protected void doStart() {
            setIgnoreCamelContextEvents(true);
            setIgnoreRouteEvents(true);
            setIgnoreServiceEvents(true);
            setIgnoreExchangeCreatedEvent(true);
            setIgnoreExchangeSentEvents(true);
            setIgnoreExchangeSendingEvents(true);
            setIgnoreExchangeRedeliveryEvents(true);
            setIgnoreStepEvents(true);
        }
    }
}
