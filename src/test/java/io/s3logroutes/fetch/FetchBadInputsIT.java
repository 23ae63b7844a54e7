package io.s3logroutes.fetch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import io.s3logroutes.testing.App;
import io.s3logroutes.testing.FetchProps;
import io.s3logroutes.testing.TestS3;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One prefix holding a seeded random mix of the bad inputs fetch meets, each kind one to three times, among good
 * objects: corrupt and truncated gzip and a gzip bomb (recorded in the failed file, one row each, with the key and
 * the reason; nothing of them in the output), zero-byte objects (one empty event), gzip under a key without
 * {@code .gz} and plain text under a {@code .gz} key (read by their content), non-UTF-8 bytes and a 5 MiB line
 * (written byte for byte). The route keeps running, the output is exactly the good objects' bytes in key order.
 */
class FetchBadInputsIT {

    enum Kind {
        GOOD, CORRUPT_GZIP, TRUNCATED_GZIP, GZIP_BOMB, ZERO_BYTES, ZERO_BYTES_GZ_KEY, GZIP_WITHOUT_SUFFIX,
        PLAIN_WITH_GZ_SUFFIX, NON_UTF8, FIVE_MIB_LINE;

        boolean bad() {
            return this == CORRUPT_GZIP || this == TRUNCATED_GZIP || this == GZIP_BOMB;
        }
    }

    @TempDir
    Path dir;

    final TestS3 s3 = TestS3.shared();

    @Test
    void eachKindOfBadInputIsRecordedOrReadAndTheRestArrivesExactly() throws Exception {
        String bucket = s3.newBucket("fetch-bad-mix");
        long seed = Long.getLong("s3logs.test.seed", System.nanoTime());
        Random r = new Random(seed);
        List<Kind> kinds = new ArrayList<>();
        for (Kind k : Kind.values()) {
            for (int i = 1 + r.nextInt(3); i > 0; i--) {
                kinds.add(k);
            }
        }
        Collections.shuffle(kinds, r);
        byte[] bomb = FetchObjects.gzip(new byte[16 << 20]); // 16 MiB of zeros in 16 KiB, over the cap of 8 MiB
        Map<String, Kind> keys = new TreeMap<>();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        String last = null;
        for (int i = 0; i < kinds.size(); i++) {
            Kind k = kinds.get(i);
            byte[] text = ("line one of " + i + "\nline two of " + i + "\n").getBytes(StandardCharsets.UTF_8);
            boolean gzKey = switch (k) {
                case CORRUPT_GZIP, TRUNCATED_GZIP, GZIP_BOMB, ZERO_BYTES_GZ_KEY, PLAIN_WITH_GZ_SUFFIX -> true;
                default -> false;
            };
            byte[] body = switch (k) {
                case GOOD, PLAIN_WITH_GZ_SUFFIX -> text;
                case CORRUPT_GZIP -> {
                    byte[] g = FetchObjects.gzip(text);
                    for (int j = 12; j < g.length - 8; j++) {
                        g[j] ^= 0x5a;
                    }
                    yield g;
                }
                case TRUNCATED_GZIP -> {
                    byte[] g = FetchObjects.gzip(("x".repeat(1000) + i + "\n").repeat(20).getBytes(StandardCharsets.UTF_8));
                    yield Arrays.copyOf(g, g.length / 2);
                }
                case GZIP_BOMB -> bomb;
                case ZERO_BYTES, ZERO_BYTES_GZ_KEY -> new byte[0];
                case GZIP_WITHOUT_SUFFIX -> FetchObjects.gzip(text);
                case NON_UTF8 -> new byte[]{'b', 'y', 't', 'e', 's', ' ', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, 0x28, '\n'};
                case FIVE_MIB_LINE -> ("L" + i + "y".repeat(5 << 20) + "\n").getBytes(StandardCharsets.US_ASCII);
            };
            expected.writeBytes(switch (k) {
                case GOOD, PLAIN_WITH_GZ_SUFFIX, GZIP_WITHOUT_SUFFIX -> text;
                case ZERO_BYTES, ZERO_BYTES_GZ_KEY -> new byte[]{'\n'};
                case NON_UTF8, FIVE_MIB_LINE -> body;
                default -> new byte[0];
            });
            String key = FetchIT.key("MIX", FetchIT.T0.plusSeconds(i), 1, gzKey);
            FetchObjects.put(s3.client(), bucket, key, body, gzKey);
            keys.put(key, k);
            last = key;
        }
        Map<String, String> p = FetchProps.under(s3, bucket, dir, "MIX/");
        p.put("s3logs.fetch.settle", "5m");
        p.put("s3logs.fetch.max-object-bytes", "8MiB");
        String lastKey = last;
        try (App app = App.start(p)) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                    Files.exists(dir.resolve("lastkey.log"))
                            && Checkpoint.parse(Files.readString(dir.resolve("lastkey.log"))).key().orElse("").equals(lastKey));
            assertThat(app.context().getRouteController().getRouteStatus("fetch-s3")).isEqualTo(ServiceStatus.Started);
        }
        Map<Kind, Integer> sent = new TreeMap<>();
        keys.values().forEach(k -> sent.merge(k, 1, Integer::sum));
        Map<Kind, Integer> recorded = new TreeMap<>();
        List<String> rows = Files.exists(dir.resolve("failed.log")) ? Files.readAllLines(dir.resolve("failed.log")) : List.of();
        for (String row : rows) {
            String[] f = row.split("\t");
            assertThat(f).as(row).hasSize(5);
            Kind k = keys.get(f[1]);
            assertThat(k).as("the failed file names a bad object's key: %s", row).isNotNull();
            assertThat(k.bad()).as(row).isTrue();
            assertThat(f[4]).as(row).contains(k == Kind.GZIP_BOMB ? "s3logs.fetch.max-object-bytes" : "gzip");
            recorded.merge(k, 1, Integer::sum);
        }
        Map<Kind, Integer> badSent = new TreeMap<>(sent);
        badSent.keySet().removeIf(k -> !k.bad());
        System.out.printf("fetch bad inputs (seed %d): %d objects %s; failed-file rows %s; output %d bytes%n", seed,
                keys.size(), sent, recorded, Files.size(dir.resolve("out.log")));
        assertThat(recorded).as("one failed-file row per bad object").isEqualTo(badSent);
        byte[] out = Files.readAllBytes(dir.resolve("out.log"));
        assertThat(out.length).isEqualTo(expected.size());
        assertThat(out).as("the output is the good objects, byte for byte, in key order").isEqualTo(expected.toByteArray());
    }
}
