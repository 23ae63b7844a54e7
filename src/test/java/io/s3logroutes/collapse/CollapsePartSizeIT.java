package io.s3logroutes.collapse;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An output that would need more parts than S3 allows is uploaded in larger parts. S3's limit is 10,000 parts,
 * which only outputs of dozens of GiB reach (with {@code max-size=0}, up to 5 TiB); here the concatenator is given
 * a limit of 2 parts, so that 12 MiB of inputs with 5 MiB parts (3 parts) must go up in 2 parts of 6 MiB.
 */
class CollapsePartSizeIT {

    @Test
    void partsGrowSoThatTheOutputFitsInTheAllowedNumberOfParts() {
        long t0 = System.nanoTime();
        Fixture f = new Fixture("part-size");
        LogData data = new LogData(5);
        SortedMap<String, byte[]> objs = new TreeMap<>();
        for (int i = 0; i < 3; i++) {
            objs.put(data.accessKey("logs/", LocalDateTime.parse("2014-12-31T00:00").plusHours(i)),
                    java.util.Arrays.copyOf(data.bulkyLines(4 << 20), 4 << 20));
        }
        LogData.putAll(f.s3, f.bucket, objs);
        List<Manifest.Input> inputs = f.s3.listObjectsV2Paginator(b -> b.bucket(f.bucket).prefix("logs/")).contents()
                .stream().map(o -> new Manifest.Input(o.key(), o.size(), o.eTag())).toList();
        Map<String, String> props = f.props();
        S3Settings settings = S3Settings.from(new Props(k -> Optional.ofNullable(props.get(k))));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Concatenator c = new Concatenator(f.s3, settings, 5L << 20, 2, new Concatenator.Storage(Optional.empty()),
                    pool, () -> false, 2);

            Concatenator.Staged staged = c.stage("2014-12-31", "logs/2014-12-31_collapsed", inputs, in -> { });

            MultipartUpload upload = f.s3.listMultipartUploads(b -> b.bucket(f.bucket)).uploads().get(0);
            List<Long> parts = f.s3.listParts(b -> b.bucket(f.bucket).key(upload.key()).uploadId(upload.uploadId()))
                    .parts().stream().map(Part::size).toList();
            assertThat(parts).as("12 MiB in parts of 6 MiB, not 5 MiB").containsExactly(6L << 20, 6L << 20);
            staged.completer().complete();
        } finally {
            pool.shutdownNow();
        }
        assertThat(LogData.digest(f.get("logs/2014-12-31_collapsed"))).isEqualTo(LogData.digest(LogData.concat(objs)));
        assertThat(f.pendingUploads()).isZero();
        System.out.printf("CollapsePartSizeIT: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
