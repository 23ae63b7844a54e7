package io.s3logroutes.collapse;

import java.io.ByteArrayOutputStream;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gzip inputs of several MiB: a multipart output with UploadPartCopy parts and ranged reads, which {@code zcat}
 * reads as the concatenation of the inputs' contents; and the CloudTrail layout.
 */
class CollapseGzipIT {

    final LogData data = new LogData(7);

    @Test
    void largeGzipInputsMakeOneMultiMemberGzipWithServerSideCopies() {
        Fixture f = new Fixture("gzip-large");
        LocalDateTime day = LocalDateTime.parse("2014-12-31T00:00");
        SortedMap<String, byte[]> objs = new TreeMap<>();
        // key order: 7 MiB (copied), small ones, 11.5 MiB (read in ranges, leaves 5.5 MiB in the part buffer),
        // about 6 MiB (the buffer is flushed, then it is copied), small ones
        objs.put(data.accessKey("", day.plusHours(1)), LogData.gzipStored(data.bulkyLines(7 << 20)));
        for (int i = 0; i < 10; i++) {
            LocalDateTime t = day.plusHours(2).plusMinutes(i);
            objs.put(data.accessKey("", t), LogData.gzip(data.accessObject(t.toInstant(ZoneOffset.UTC), 20)));
        }
        objs.put(data.accessKey("", day.plusHours(3)), LogData.gzipStored(data.bulkyLines(23 << 19)));
        objs.put(data.accessKey("", day.plusHours(4)), LogData.gzip(data.bulkyLines(8 << 20)));
        for (int i = 0; i < 10; i++) {
            LocalDateTime t = day.plusHours(5).plusMinutes(i);
            objs.put(data.accessKey("", t), LogData.gzip(data.accessObject(t.toInstant(ZoneOffset.UTC), 20)));
        }
        LogData.putAll(f.s3, f.bucket, objs);
        long partSize = 6L << 20;
        List<Manifest.Input> inputs = objs.entrySet().stream()
                .map(e -> new Manifest.Input(e.getKey(), e.getValue().length, "x")).toList();
        List<Concatenator.Action> plan = Concatenator.plan(inputs, true, partSize);
        assertThat(plan).filteredOn(a -> a instanceof Concatenator.Copy).as("server-side copies").hasSize(2);
        assertThat(plan).filteredOn(a -> a instanceof Concatenator.Fetch fe && !fe.whole()).as("ranged reads").isNotEmpty();

        long t0 = System.nanoTime();
        List<GroupResult> r = f.run("2014-12-31", "2014-12-31", "s3logs.collapse.part-size", "6MiB");
        System.out.println("collapse of " + LogData.concat(objs).length + " gzip bytes took "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");

        assertThat(r.get(0).status()).isEqualTo(GroupResult.Status.COLLAPSED);
        byte[] out = f.get("2014-12-31_collapsed");
        assertThat(LogData.digest(out)).isEqualTo(LogData.digest(LogData.concat(objs)));
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        objs.values().forEach(v -> plain.writeBytes(LogData.zcat(v)));
        assertThat(LogData.digest(LogData.zcat(out))).as("zcat of the output").isEqualTo(LogData.digest(plain.toByteArray()));
        var head = f.s3.headObject(b -> b.bucket(f.bucket).key("2014-12-31_collapsed"));
        assertThat(head.contentType()).isEqualTo("application/gzip");
        assertThat(f.list("").keySet()).containsExactly("2014-12-31_collapsed", "2014-12-31_collapsed.manifest.json");
        assertThat(f.pendingUploads()).isZero();
    }

    @Test
    void cloudTrailLayoutPerAccountAndRegionWithTheSeedsOutputNames() {
        Fixture f = new Fixture("cloudtrail");
        SortedMap<String, byte[]> all = new TreeMap<>();
        SortedMap<String, SortedMap<String, byte[]>> expected = new TreeMap<>();
        for (String account : List.of("111122223333", "444455556666")) {
            for (String region : List.of("us-east-1", "eu-central-1")) {
                for (String day : List.of("2014-12-30", "2014-12-31")) {
                    SortedMap<String, byte[]> objs = new TreeMap<>();
                    for (int i = 0; i < 15; i++) {
                        LocalDateTime t = LocalDateTime.parse(day + "T00:00").plusMinutes(i * 95L);
                        objs.put(data.cloudTrailKey("", account, region, t),
                                data.cloudTrailObject(account, region, t.toInstant(ZoneOffset.UTC), 1 + i % 4));
                    }
                    all.putAll(objs);
                    expected.put("AWSLogs_collapsed/" + account + "/CloudTrail/" + region + "/" + account + "_CloudTrail_"
                            + region + "_" + day.replace("-", "") + "_collapsed", objs);
                }
            }
        }
        LogData.putAll(f.s3, f.bucket, all);

        List<GroupResult> r = f.run("2014-12-30", "2014-12-31", "s3logs.collapse.layout", "cloudtrail");

        assertThat(r).hasSize(8).allMatch(x -> x.status() == GroupResult.Status.COLLAPSED && x.objects() == 15);
        expected.forEach((out, objs) -> {
            byte[] b = f.get(out);
            assertThat(LogData.digest(b)).as(out).isEqualTo(LogData.digest(LogData.concat(objs)));
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            objs.values().forEach(v -> plain.writeBytes(LogData.zcat(v)));
            assertThat(new String(LogData.zcat(b))).as("zcat " + out).isEqualTo(plain.toString())
                    .startsWith("{\"Records\":[{\"eventVersion\":\"1.09\"");
        });
        assertThat(f.list("AWSLogs/")).isEmpty();
    }

    @Test
    void cloudTrailHourlyWithConfiguredAccountLeavesOtherAccountsAlone() {
        Fixture f = new Fixture("cloudtrail-h");
        SortedMap<String, byte[]> mine = new TreeMap<>();
        SortedMap<String, byte[]> other = new TreeMap<>();
        for (int i = 0; i < 8; i++) {
            LocalDateTime t = LocalDateTime.parse("2014-12-31T23:00").plusMinutes(i * 7L);
            mine.put(data.cloudTrailKey("trail/", "111122223333", "us-east-1", t),
                    data.cloudTrailObject("111122223333", "us-east-1", t.toInstant(ZoneOffset.UTC), 2));
            other.put(data.cloudTrailKey("trail/", "999988887777", "us-east-1", t),
                    data.cloudTrailObject("999988887777", "us-east-1", t.toInstant(ZoneOffset.UTC), 2));
        }
        LogData.putAll(f.s3, f.bucket, mine);
        LogData.putAll(f.s3, f.bucket, other);

        List<GroupResult> r = f.run("2014-12-31T23", "2014-12-31T23", "s3logs.collapse.layout", "cloudtrail",
                "s3logs.collapse.input-prefix", "trail/", "s3logs.collapse.increment", "H",
                "s3logs.collapse.accounts", "111122223333", "s3logs.collapse.regions", "us-east-1");

        String out = "trail/AWSLogs_collapsed/111122223333/CloudTrail/us-east-1/111122223333_CloudTrail_us-east-1_2014123123_collapsed";
        assertThat(r).singleElement().extracting(GroupResult::outputs).asList().containsExactly(out);
        assertThat(LogData.digest(f.get(out))).isEqualTo(LogData.digest(LogData.concat(mine)));
        assertThat(f.list("trail/AWSLogs/").keySet()).containsExactlyElementsOf(other.keySet());
    }
}
