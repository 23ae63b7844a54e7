package io.s3logroutes.collapse;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import static org.assertj.core.api.Assertions.assertThat;

/** S3 server access log layouts (flat and date-partitioned) against a real S3 API, with generated logs. */
class CollapseS3AccessIT {

    final LogData data = new LogData(42);

    /** {@code n} plain access log objects in the day starting at {@code day} under {@code prefix}. */
    SortedMap<String, byte[]> accessObjects(String prefix, LocalDateTime day, int n, int lines) {
        SortedMap<String, byte[]> m = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            LocalDateTime t = day.plusSeconds((long) i * 86_399 / n);
            m.put(data.accessKey(prefix, t), data.accessObject(t.toInstant(ZoneOffset.UTC), lines));
        }
        return m;
    }

    @Test
    void dailyFlatOverThousandObjectsIsOneVerifiedObjectAndTheInputsAreGone() throws Exception {
        Fixture f = new Fixture("access-flat");
        SortedMap<String, byte[]> day1 = accessObjects("s3logs/", LocalDateTime.parse("2014-12-30T00:00"), 1_250, 2);
        SortedMap<String, byte[]> day2 = accessObjects("s3logs/", LocalDateTime.parse("2014-12-31T00:00"), 40, 3);
        SortedMap<String, byte[]> other = accessObjects("s3logs/", LocalDateTime.parse("2015-01-01T00:00"), 5, 1);
        SortedMap<String, byte[]> all = new TreeMap<>(day1);
        all.putAll(day2);
        all.putAll(other);
        LogData.putAll(f.s3, f.bucket, all);

        long t0 = System.nanoTime();
        List<GroupResult> results = f.run("2014-12-29", "2014-12-31", "s3logs.collapse.input-prefix", "s3logs/");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("collapse of 1,290 objects in 3 periods took " + ms + " ms");

        assertThat(results).extracting(GroupResult::status).containsExactly(GroupResult.Status.EMPTY,
                GroupResult.Status.COLLAPSED, GroupResult.Status.COLLAPSED);
        assertThat(results.get(0).summary()).isEqualTo("collapse 2014-12-29 s3logs/2014-12-29-: no objects");
        assertThat(results.get(1).objects()).isEqualTo(1_250);
        assertThat(results.get(1).summary()).startsWith("collapse 2014-12-30 s3logs/2014-12-30-: 1250 objects, ")
                .endsWith(" bytes -> s3logs/2014-12-30_collapsed");

        assertThat(LogData.digest(f.get("s3logs/2014-12-30_collapsed"))).isEqualTo(LogData.digest(LogData.concat(day1)));
        assertThat(LogData.digest(f.get("s3logs/2014-12-31_collapsed"))).isEqualTo(LogData.digest(LogData.concat(day2)));
        // only the outputs, their manifests and the untouched period are left
        assertThat(f.list("s3logs/").keySet()).containsExactlyInAnyOrderElementsOf(concatKeys(other.keySet(),
                "s3logs/2014-12-30_collapsed", "s3logs/2014-12-30_collapsed.manifest.json",
                "s3logs/2014-12-31_collapsed", "s3logs/2014-12-31_collapsed.manifest.json"));

        JsonNode manifest = new ObjectMapper().readTree(f.get("s3logs/2014-12-31_collapsed.manifest.json"));
        assertThat(manifest.get("outputKey").asText()).isEqualTo("s3logs/2014-12-31_collapsed");
        assertThat(manifest.get("outputSize").asLong()).isEqualTo(LogData.concat(day2).length);
        assertThat(manifest.get("gzip").asBoolean()).isFalse();
        assertThat(manifest.get("inputs")).hasSize(40);
        JsonNode first = manifest.get("inputs").get(0);
        assertThat(first.get("key").asText()).isEqualTo(day2.firstKey());
        assertThat(first.get("size").asLong()).isEqualTo(day2.get(day2.firstKey()).length);
        assertThat(first.get("etag").asText()).isNotBlank();
        assertThat(f.pendingUploads()).isZero();

        // a second run finds nothing new and changes nothing
        List<GroupResult> again = f.run("2014-12-30", "2014-12-31", "s3logs.collapse.input-prefix", "s3logs/");
        assertThat(again).extracting(GroupResult::status).containsOnly(GroupResult.Status.EMPTY);
        assertThat(f.list("s3logs/")).hasSize(9);
    }

    private static List<String> concatKeys(java.util.Collection<String> keys, String... more) {
        List<String> l = new java.util.ArrayList<>(keys);
        l.addAll(List.of(more));
        return l;
    }

    @Test
    void hourlyPartitionedLayoutDiscoversAccountsRegionsAndBuckets() {
        Fixture f = new Fixture("access-part");
        SortedMap<String, byte[]> all = new TreeMap<>();
        Map<String, SortedMap<String, byte[]>> byGroupHour = new TreeMap<>();
        for (String dir : List.of("111122223333/us-east-1/web-assets/", "111122223333/eu-west-1/backups/",
                "444455556666/us-east-1/reports/")) {
            for (int hour = 22; hour <= 23; hour++) {
                LocalDateTime h = LocalDateTime.parse("2014-12-31T00:00").withHour(hour);
                SortedMap<String, byte[]> objs = accessObjectsUnder("access/" + dir + "2014/12/31/", h, 12);
                all.putAll(objs);
                byGroupHour.put("access/" + dir + "2014/12/31/2014-12-31-" + hour + "_collapsed", objs);
            }
        }
        LogData.putAll(f.s3, f.bucket, all);

        List<GroupResult> results = f.run("2014-12-31T22", "2014-12-31T23", "s3logs.collapse.layout",
                "s3-access-partitioned", "s3logs.collapse.input-prefix", "access/", "s3logs.collapse.increment", "H");

        assertThat(results).hasSize(6).allMatch(r -> r.status() == GroupResult.Status.COLLAPSED);
        byGroupHour.forEach((out, objs) -> assertThat(LogData.digest(f.get(out))).as(out).isEqualTo(LogData.digest(LogData.concat(objs))));
        assertThat(f.list("access/").keySet()).allMatch(k -> k.contains("_collapsed")).hasSize(12);
    }

    private SortedMap<String, byte[]> accessObjectsUnder(String prefix, LocalDateTime hour, int n) {
        SortedMap<String, byte[]> m = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            LocalDateTime t = hour.plusSeconds(i * 290L);
            m.put(data.accessKey(prefix, t), data.accessObject(t.toInstant(ZoneOffset.UTC), 2));
        }
        return m;
    }

    @Test
    void gzipAndPlainMixedIsAnErrorNamingTheKeyAndNothingIsUploadedOrDeleted() {
        Fixture f = new Fixture("access-mix");
        SortedMap<String, byte[]> objs = accessObjects("", LocalDateTime.parse("2014-12-31T00:00"), 30, 2);
        String offending = List.copyOf(objs.keySet()).get(17);
        objs.put(offending, LogData.gzip(objs.get(offending)));
        LogData.putAll(f.s3, f.bucket, objs);

        List<GroupResult> results = f.run("2014-12-31", "2014-12-31");

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(GroupResult.Status.FAILED);
            assertThat(r.summary()).contains(offending + " is gzip, but " + objs.firstKey() + " before it is not gzip")
                    .contains("nothing uploaded, nothing deleted");
        });
        assertThat(f.list("").keySet()).containsExactlyElementsOf(objs.keySet());
        assertThat(f.pendingUploads()).isZero();
    }

    @Test
    void maxSizeSplitsIntoNumberedOutputsOrFailsWhenAskedTo() {
        Fixture f = new Fixture("access-split");
        SortedMap<String, byte[]> objs = accessObjects("", LocalDateTime.parse("2014-12-31T00:00"), 60, 3);
        LogData.putAll(f.s3, f.bucket, objs);
        long total = LogData.concat(objs).length;

        List<GroupResult> failed = f.run("2014-12-31", "2014-12-31", "s3logs.collapse.max-size", "20KiB",
                "s3logs.collapse.on-max-size", "fail");
        assertThat(failed).singleElement().extracting(GroupResult::summary).asString()
                .contains("more than s3logs.collapse.max-size=20.0 KiB").contains("nothing uploaded");
        assertThat(f.list("")).hasSize(60);

        List<GroupResult> split = f.run("2014-12-31", "2014-12-31", "s3logs.collapse.max-size", "20KiB");
        GroupResult r = split.get(0);
        assertThat(r.status()).isEqualTo(GroupResult.Status.COLLAPSED);
        int expectedOutputs = (int) Math.ceil(total / (20.0 * 1024)) ;
        assertThat(r.outputs()).hasSizeGreaterThanOrEqualTo(expectedOutputs)
                .startsWith("2014-12-31_collapsed", "2014-12-31_collapsed-0002");
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        for (String out : r.outputs()) {
            byte[] b = f.get(out);
            assertThat(b.length).as(out).isLessThanOrEqualTo(20 * 1024);
            joined.writeBytes(b);
        }
        assertThat(LogData.digest(joined.toByteArray())).isEqualTo(LogData.digest(LogData.concat(objs)));
        assertThat(f.list("").keySet()).allMatch(k -> k.startsWith("2014-12-31_collapsed"));
    }

    @Test
    void storageClassIsApplied() {
        Fixture f = new Fixture("access-sc");
        SortedMap<String, byte[]> objs = accessObjects("", LocalDateTime.parse("2014-12-31T00:00"), 10, 2);
        LogData.putAll(f.s3, f.bucket, objs);

        f.run("2014-12-31", "2014-12-31", "s3logs.collapse.storage-class", "standard_ia");

        assertThat(f.s3.headObject(b -> b.bucket(f.bucket).key("2014-12-31_collapsed")).storageClassAsString())
                .isEqualTo("STANDARD_IA");
    }

    @Test
    void lateArrivalsGoIntoTheNextNumberedOutput() {
        Fixture f = new Fixture("access-late");
        SortedMap<String, byte[]> first = accessObjects("", LocalDateTime.parse("2014-12-31T00:00"), 20, 2);
        LogData.putAll(f.s3, f.bucket, first);
        f.run("2014-12-31", "2014-12-31");
        byte[] out1 = f.get("2014-12-31_collapsed");

        SortedMap<String, byte[]> late = accessObjectsUnder("", LocalDateTime.parse("2014-12-31T20:00"), 7);
        LogData.putAll(f.s3, f.bucket, late);
        List<GroupResult> r = f.run("2014-12-31", "2014-12-31");

        assertThat(r.get(0).outputs()).containsExactly("2014-12-31_collapsed-0002");
        assertThat(LogData.digest(f.get("2014-12-31_collapsed"))).isEqualTo(LogData.digest(out1))
                .isEqualTo(LogData.digest(LogData.concat(first)));
        assertThat(LogData.digest(f.get("2014-12-31_collapsed-0002"))).isEqualTo(LogData.digest(LogData.concat(late)));
        assertThat(f.list("").keySet()).containsExactly("2014-12-31_collapsed", "2014-12-31_collapsed-0002",
                "2014-12-31_collapsed-0002.manifest.json", "2014-12-31_collapsed.manifest.json");
    }

    @Test
    void objectsThatArriveDuringTheRunAreNotTouchedAndChangedInputsFailThePeriod() {
        Fixture f = new Fixture("access-during");
        SortedMap<String, byte[]> objs = accessObjects("", LocalDateTime.parse("2014-12-31T00:00"), 25, 2);
        LogData.putAll(f.s3, f.bucket, objs);
        SortedMap<String, byte[]> arriving = accessObjectsUnder("", LocalDateTime.parse("2014-12-31T12:00"), 3);

        try (CollapseService svc = f.service((step, key) -> {
            if (step == CollapseHook.Step.PARTS_UPLOADED) {
                LogData.putAll(f.s3, f.bucket, arriving);
            }
        })) {
            svc.runRange(LocalDateTime.parse("2014-12-31T00:00"), LocalDateTime.parse("2014-12-31T00:00"));
        }
        assertThat(LogData.digest(f.get("2014-12-31_collapsed"))).isEqualTo(LogData.digest(LogData.concat(objs)));
        assertThat(f.list("").keySet()).containsAll(arriving.keySet()).noneMatch(objs::containsKey);

        // an input rewritten between the listing and the read: If-Match fails, the period fails, nothing is deleted
        String victim = arriving.firstKey();
        try (CollapseService svc = f.service((step, key) -> {
            if (step == CollapseHook.Step.SNAPSHOT_TAKEN) {
                f.s3.putObject(b -> b.bucket(f.bucket).key(victim), RequestBody.fromString("rewritten\n"));
            }
        })) {
            List<GroupResult> r = svc.runRange(LocalDateTime.parse("2014-12-31T00:00"), LocalDateTime.parse("2014-12-31T00:00"));
            assertThat(r.get(0).status()).isEqualTo(GroupResult.Status.FAILED);
            assertThat(r.get(0).summary()).contains("input " + victim + " changed since it was listed");
        }
        assertThat(f.list("").keySet()).containsAll(arriving.keySet()).doesNotContain("2014-12-31_collapsed-0002");
        assertThat(f.pendingUploads()).isZero();
    }
}
