package io.s3logroutes;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A child JVM for {@link OutOfMemoryIT}: runs out of memory in another thread ({@code thread}) or inside a Camel
 * exchange ({@code route}) with the handlers the application installs.
 */
public final class OutOfMemoryProbe {

    private OutOfMemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        OutOfMemory.install();
        if (args[0].equals("thread")) {
            Thread t = new Thread(() -> {
                java.util.List<long[]> hog = new java.util.ArrayList<>();
                while (true) {
                    hog.add(new long[1 << 20]);
                }
            }, "hog");
            t.start();
            t.join();
        } else {
            // as in the application: a consumer's thread runs the exchange (here a timer's)
            try (DefaultCamelContext ctx = new DefaultCamelContext()) {
                ctx.getManagementStrategy().addEventNotifier(new OutOfMemory.Notifier());
                ctx.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("timer:hog?repeatCount=1&delay=0").routeId("hog").process(e -> {
                            throw new OutOfMemoryError("Java heap space");
                        });
                    }
                });
                ctx.start();
                Thread.sleep(60_000);   // the handlers halt the process long before
            }
        }
        System.err.println("the process went on after running out of memory");
        System.exit(0);
    }
}
