package io.s3logroutes.collapse;

import java.io.ByteArrayOutputStream;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The transition day: a source that moves from plain to gzip objects leaves one period with both. With the default
 * {@code s3logs.collapse.on-mix=fail} the period fails and nothing changes; with {@code split} its plain inputs go to
 * {@code {output}} and its gzip inputs to {@code {output}.gz}, each verified and with its own manifest, late
 * arrivals go to the next number of their own series, and an interrupted {@code .gz} output is finished by the
 * next run.
 */
class CollapseMixIT {

    static final String PREFIX = "logs/";
    static final LocalDateTime DAY = LocalDateTime.parse("2014-12-31T00:00");

    final LogData data = new LogData(15);

    /** {@code n} access-log objects from {@code from}, one every 7 minutes, gzip'd or not. */
    SortedMap<String, byte[]> objects(LocalDateTime from, int n, boolean gzip) {
        SortedMap<String, byte[]> m = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            LocalDateTime t = from.plusMinutes(i * 7L);
            byte[] body = data.accessObject(t.toInstant(ZoneOffset.UTC), 3);
            m.put(data.accessKey(PREFIX, t), gzip ? LogData.gzip(body) : body);
        }
        return m;
    }

    static byte[] zcatEach(SortedMap<String, byte[]> gz) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        gz.values().forEach(v -> out.writeBytes(LogData.zcat(v)));
        return out.toByteArray();
    }

    List<GroupResult> run(Fixture f, String... more) {
        String[] kv = new String[more.length + 2];
        kv[0] = "s3logs.collapse.input-prefix";
        kv[1] = PREFIX;
        System.arraycopy(more, 0, kv, 2, more.length);
        return f.run("2014-12-31", "2014-12-31", kv);
    }

    @Test
    void theTransitionDayFailsByDefaultAndSplitsIntoAPlainAndAGzipOutput() throws Exception {
        long t0 = System.nanoTime();
        Fixture f = new Fixture("mix-split");
        SortedMap<String, byte[]> plain = objects(DAY, 40, false);
        // an empty object among the plain ones: it has no kind, and goes with the plain inputs
        String empty = data.accessKey(PREFIX, DAY.plusHours(5));
        plain.put(empty, new byte[0]);
        SortedMap<String, byte[]> gzip = objects(DAY.plusHours(12), 30, true);
        SortedMap<String, byte[]> all = new TreeMap<>(plain);
        all.putAll(gzip);
        LogData.putAll(f.s3, f.bucket, all);

        // on-mix=fail (the default): the period fails, names the first gzip key and says how to split it
        List<GroupResult> refused = run(f);
        assertThat(refused).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(GroupResult.Status.FAILED);
            assertThat(r.summary()).contains(gzip.firstKey() + " is gzip, but " + plain.firstKey() + " before it is not gzip")
                    .contains("s3logs.collapse.on-mix=split").contains("nothing uploaded, nothing deleted");
        });
        assertThat(f.list(PREFIX).keySet()).containsExactlyElementsOf(all.keySet());

        // the dry run of split shows both outputs, with their kinds
        try (CollapseService svc = f.service(CollapseHook.NONE, "s3logs.collapse.input-prefix", PREFIX,
                "s3logs.collapse.on-mix", "split")) {
            List<String> lines = DryRun.lines(svc.dryRunRange(DAY, DAY));
            lines.forEach(System.out::println);
            assertThat(lines).containsExactly(
                    "dry-run 2014-12-31 logs/2014-12-31-: 41 inputs, " + DryRun.size(LogData.concat(plain).length)
                            + ", plain -> logs/2014-12-31_collapsed",
                    "dry-run 2014-12-31 logs/2014-12-31-: 30 inputs, " + DryRun.size(LogData.concat(gzip).length)
                            + ", gzip -> logs/2014-12-31_collapsed.gz",
                    "dry-run: 1 period groups: 2 new outputs of 71 inputs, " + DryRun.size(LogData.concat(all).length)
                            + "; 0 resumed, 0 would fail, 0 with nothing to do; nothing was written or deleted");
        }
        assertThat(f.list(PREFIX).keySet()).containsExactlyElementsOf(all.keySet());

        // max-size=0: no limit of ours (S3's 5 TiB)
        List<GroupResult> split = run(f, "s3logs.collapse.on-mix", "split", "s3logs.collapse.max-size", "0");

        assertThat(split).singleElement().satisfies(r -> {
            assertThat(r.status()).as(r.summary()).isEqualTo(GroupResult.Status.COLLAPSED);
            assertThat(r.objects()).isEqualTo(71);
            assertThat(r.outputs()).containsExactly("logs/2014-12-31_collapsed", "logs/2014-12-31_collapsed.gz");
        });
        assertThat(f.list(PREFIX).keySet()).containsExactly("logs/2014-12-31_collapsed",
                "logs/2014-12-31_collapsed.gz", "logs/2014-12-31_collapsed.gz.manifest.json",
                "logs/2014-12-31_collapsed.manifest.json");
        assertThat(LogData.digest(f.get("logs/2014-12-31_collapsed"))).isEqualTo(LogData.digest(LogData.concat(plain)));
        byte[] gz = f.get("logs/2014-12-31_collapsed.gz");
        assertThat(LogData.digest(gz)).isEqualTo(LogData.digest(LogData.concat(gzip)));
        assertThat(LogData.digest(LogData.zcat(gz))).as("zcat of the .gz output").isEqualTo(LogData.digest(zcatEach(gzip)));
        assertThat(f.s3.headObject(b -> b.bucket(f.bucket).key("logs/2014-12-31_collapsed.gz")).contentType())
                .isEqualTo("application/gzip");
        assertThat(f.s3.headObject(b -> b.bucket(f.bucket).key("logs/2014-12-31_collapsed")).contentType())
                .startsWith("text/plain");
        ObjectMapper json = new ObjectMapper();
        JsonNode mPlain = json.readTree(f.get("logs/2014-12-31_collapsed.manifest.json"));
        JsonNode mGzip = json.readTree(f.get("logs/2014-12-31_collapsed.gz.manifest.json"));
        assertThat(mPlain.get("gzip").asBoolean()).isFalse();
        assertThat(mPlain.get("inputs")).hasSize(41);
        assertThat(mPlain.get("outputSize").asLong()).isEqualTo(LogData.concat(plain).length);
        assertThat(mGzip.get("gzip").asBoolean()).isTrue();
        assertThat(mGzip.get("outputKey").asText()).isEqualTo("logs/2014-12-31_collapsed.gz");
        assertThat(mGzip.get("inputs")).hasSize(30);
        assertThat(mGzip.get("inputs").get(0).get("key").asText()).isEqualTo(gzip.firstKey());
        assertThat(f.pendingUploads()).isZero();

        // late arrivals, gzip only: the next output of the .gz series; the plain series is left as it is
        SortedMap<String, byte[]> late = objects(DAY.plusHours(23), 3, true);
        LogData.putAll(f.s3, f.bucket, late);
        List<GroupResult> again = run(f, "s3logs.collapse.on-mix", "split");
        assertThat(again.get(0).outputs()).containsExactly("logs/2014-12-31_collapsed-0002.gz");
        assertThat(LogData.digest(f.get("logs/2014-12-31_collapsed-0002.gz"))).isEqualTo(LogData.digest(LogData.concat(late)));
        assertThat(f.list(PREFIX).keySet()).allMatch(k -> k.contains("_collapsed")).hasSize(6);
        System.out.printf("CollapseMixIT transition day: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    static final class Crash extends Error {
        Crash(String what) {
            super("simulated crash: " + what);
        }
    }

    @Test
    void aGzipOutputInterruptedAfterItsManifestIsFinishedByTheNextRun() {
        Fixture f = new Fixture("mix-resume");
        SortedMap<String, byte[]> plain = objects(DAY, 5, false);
        SortedMap<String, byte[]> gzip = objects(DAY.plusHours(12), 6, true);
        SortedMap<String, byte[]> all = new TreeMap<>(plain);
        all.putAll(gzip);
        LogData.putAll(f.s3, f.bucket, all);
        String[] props = {"s3logs.collapse.input-prefix", PREFIX, "s3logs.collapse.on-mix", "split"};

        // the plain output is done; the run dies after the .gz output's manifest, before its completion
        try (CollapseService svc = f.service((step, key) -> {
            if (step == CollapseHook.Step.MANIFEST_WRITTEN && key.endsWith(".gz")) {
                throw new Crash(key);
            }
        }, props)) {
            assertThatThrownBy(() -> svc.runRange(DAY, DAY)).isInstanceOf(Crash.class);
        }
        assertThat(f.list(PREFIX).keySet()).containsAll(gzip.keySet()).doesNotContainAnyElementsOf(plain.keySet())
                .contains("logs/2014-12-31_collapsed.gz.manifest.json").doesNotContain("logs/2014-12-31_collapsed.gz");

        List<GroupResult> r = f.run("2014-12-31", "2014-12-31", props);

        assertThat(r).singleElement().satisfies(x -> {
            assertThat(x.ok()).as(x.summary()).isTrue();
            assertThat(x.summary()).contains("resumed logs/2014-12-31_collapsed.gz (6 inputs deleted)");
        });
        assertThat(f.list(PREFIX).keySet()).containsExactly("logs/2014-12-31_collapsed",
                "logs/2014-12-31_collapsed.gz", "logs/2014-12-31_collapsed.gz.manifest.json",
                "logs/2014-12-31_collapsed.manifest.json");
        assertThat(LogData.digest(f.get("logs/2014-12-31_collapsed.gz"))).isEqualTo(LogData.digest(LogData.concat(gzip)));
        assertThat(LogData.digest(f.get("logs/2014-12-31_collapsed"))).isEqualTo(LogData.digest(LogData.concat(plain)));
        assertThat(f.pendingUploads()).isZero();
    }
}
