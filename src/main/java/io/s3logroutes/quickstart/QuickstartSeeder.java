package io.s3logroutes.quickstart;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quick start: copies the sample logs into the ship input directory the first time the embedded S3 runs
 * (a marker file under {@code data/} remembers it), from {@code samples/} beside the jar or from the jar itself.
 */
public final class QuickstartSeeder {

    private static final Logger LOG = LoggerFactory.getLogger("io.s3logroutes.quickstart");
    static final List<String> SAMPLES = List.of("nginx-access.log", "app.log");

    private QuickstartSeeder() {
    }

    public static void seed(Path inputDir, Path marker) throws IOException {
        if (Files.exists(marker)) {
            return;
        }
        Files.createDirectories(inputDir);
        for (String name : SAMPLES) {
            Path local = Path.of("samples", name);
            Path target = inputDir.resolve(name);
            if (Files.isRegularFile(local)) {
                Files.copy(local, target, StandardCopyOption.REPLACE_EXISTING);
            } else {
                try (InputStream in = QuickstartSeeder.class.getResourceAsStream("/samples/" + name)) {
                    if (in == null) {
                        throw new IOException("sample log samples/" + name + " is missing from the jar");
                    }
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            LOG.info("Quick start: copied the sample log {} to {}", name, target);
        }
        Files.createDirectories(marker.toAbsolutePath().getParent());
        Files.writeString(marker, "sample logs copied to " + inputDir.toAbsolutePath() + "\n");
    }
}
