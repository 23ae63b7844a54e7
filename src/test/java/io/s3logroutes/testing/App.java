package io.s3logroutes.testing;

import java.util.Map;

import io.s3logroutes.S3LogRoutesMain;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/** The application as the jar builds it, started in this JVM with override properties. */
public final class App implements AutoCloseable {

    private final Main main;

    private App(Main main) {
        this.main = main;
    }

    public static App start(Map<String, String> properties) throws Exception {
        Main main = S3LogRoutesMain.createMain();
        properties.forEach(main::addOverrideProperty);
        main.start();
        return new App(main);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
