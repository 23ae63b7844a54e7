package io.s3logroutes.examples.main;

import org.apache.camel.main.Main;

/**
 * A Camel Main application with the routes of {@code src/main/resources/camel/}: files dropped into a directory
 * are shipped to S3 by the {@code s3logs-ship-sink} kamelet and fetched back into a file by the
 * {@code s3logs-fetch-source} kamelet. The settings are in {@code application.properties}.
 */
public final class ExampleMain {

    private ExampleMain() {
    }

    public static void main(String[] args) throws Exception {
        create().run(args);
    }

    /** The Camel Main of this application (the test starts the same one). */
    public static Main create() {
        Main main = new Main(ExampleMain.class);
        main.configure().withRoutesIncludePattern("classpath:camel/*.camel.yaml");
        return main;
    }
}
