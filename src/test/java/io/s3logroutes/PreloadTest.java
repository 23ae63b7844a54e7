package io.s3logroutes;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PreloadTest {

    @Test
    void theListInTheJarNamesClassesOfTheStartAndMostOfThemExist() throws Exception {
        try (InputStream in = Preload.class.getClassLoader().getResourceAsStream(Preload.LIST)) {
            assertThat(in).isNotNull();
            String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(list).contains("org.apache.camel.main.Main\n", "software.amazon.awssdk.services.s3.S3Client\n",
                    "io.s3logroutes.S3LogsConfiguration\n");
        }
        int[] r = Preload.run(Preload.class.getClassLoader());
        assertThat(r[0]).isGreaterThan(1000);
        assertThat(r[1]).as("names of the list not found").isLessThan(r[0] / 10);
    }

    @Test
    void loadsWithoutInitializingAndSkipsNamesThatAreNotThere() throws Exception {
        byte[] list = (Marker.class.getName() + "\nno.such.Clazz\n\n").getBytes(StandardCharsets.UTF_8);
        ClassLoader loader = new ClassLoader(getClass().getClassLoader()) {
            @Override
            public InputStream getResourceAsStream(String name) {
                return name.equals(Preload.LIST) ? new java.io.ByteArrayInputStream(list) : null;
            }
        };
        assertThat(Preload.run(loader)).containsExactly(1, 1);
        assertThat(MARKER_INITS.get()).as("static initializer of the preloaded class").isZero();
    }

    static final java.util.concurrent.atomic.AtomicInteger MARKER_INITS = new java.util.concurrent.atomic.AtomicInteger();

    static final class Marker {
        static {
            MARKER_INITS.incrementAndGet();
        }
    }
}
