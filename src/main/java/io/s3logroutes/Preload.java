package io.s3logroutes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads, on a thread of its own, the classes that starting the application needs (the list in
 * {@code preload-classes.txt}, in the order a start loads them; {@code bench/preload-classes.sh} regenerates it),
 * while the main thread starts Camel. The classes are loaded, not initialized: no static initializer runs on this
 * thread, so the start does the same things in the same order, and the main thread finds most classes already read
 * from the jar and defined. On two cores that takes class loading off the start's critical path. A name the jar does
 * not have (a stale list) is skipped and counted. {@code -Ds3logs.preload=false} turns it off.
 */
final class Preload {

    private static final Logger LOG = LoggerFactory.getLogger(Preload.class);
    static final String LIST = "preload-classes.txt";

    private Preload() {
    }

    /** Starts the loading thread, unless {@code -Ds3logs.preload=false}. */
    static void start() {
        if ("false".equalsIgnoreCase(System.getProperty("s3logs.preload", "true"))) {
            return;
        }
        Thread t = new Thread(() -> run(Preload.class.getClassLoader()), "preload");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** Loads every class of the list; returns {loaded, not found}. */
    static int[] run(ClassLoader loader) {
        int loaded = 0;
        int missing = 0;
        try (InputStream in = loader.getResourceAsStream(LIST)) {
            if (in == null) {
                LOG.debug("Preload: no {} in the jar", LIST);
                return new int[]{0, 0};
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String name;
            while ((name = r.readLine()) != null) {
                if (name.isBlank()) {
                    continue;
                }
                try {
                    Class.forName(name.strip(), false, loader);
                    loaded++;
                } catch (ClassNotFoundException | LinkageError e) {
                    // a stale list: the class is not in this jar, or cannot be defined here; the start loads what
                    // it really needs itself and reports its own errors
                    missing++;
                }
            }
        } catch (IOException e) {
            LOG.warn("Preload: cannot read {}: {}", LIST, e.toString());
        }
        LOG.debug("Preload: {} classes loaded ahead, {} of the list not found", loaded, missing);
        return new int[]{loaded, missing};
    }
}
