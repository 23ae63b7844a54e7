package io.s3logroutes.collapse;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Monthly and yearly periods ({@code s3logs.collapse.increment=m} and {@code Y}, named as the seed's formatter names
 * them: {@code 2014-12}, {@code 2014}) in each layout, with objects on both sides of the period's boundaries.
 */
class CollapseMonthIT {

    final LogData data = new LogData(21);

    /** Access-log objects under {@code prefix} at the given times. */
    SortedMap<String, byte[]> access(String prefix, String... times) {
        SortedMap<String, byte[]> m = new TreeMap<>();
        for (String t : times) {
            LocalDateTime at = LocalDateTime.parse(t);
            m.put(data.accessKey(prefix, at), data.accessObject(at.toInstant(ZoneOffset.UTC), 2));
        }
        return m;
    }

    @Test
    void s3AccessMonthAndYearTakeExactlyTheirObjectsAndLeaveFinerOutputsAlone() {
        long t0 = System.nanoTime();
        Fixture f = new Fixture("month-access");
        SortedMap<String, byte[]> nov = access("logs/", "2014-11-30T23:59:59");
        SortedMap<String, byte[]> dec = access("logs/", "2014-12-01T00:00:00", "2014-12-15T12:00:00", "2014-12-31T23:59:59");
        SortedMap<String, byte[]> dec5 = access("logs/", "2014-12-05T01:00:00", "2014-12-05T02:00:00");
        SortedMap<String, byte[]> jan = access("logs/", "2015-01-01T00:00:00");
        for (SortedMap<String, byte[]> m : List.of(nov, dec, dec5, jan)) {
            LogData.putAll(f.s3, f.bucket, m);
        }
        // an earlier daily run collapsed 2014-12-05: its output and manifest are never inputs of the month
        assertThat(f.run("2014-12-05", "2014-12-05", "s3logs.collapse.input-prefix", "logs/").get(0).outputs())
                .containsExactly("logs/2014-12-05_collapsed");

        try (CollapseService svc = f.service(CollapseHook.NONE, "s3logs.collapse.input-prefix", "logs/",
                "s3logs.collapse.increment", "m")) {
            assertThat(DryRun.lines(svc.dryRunRange(Periods.parseArg("--from", "2014-12"), Periods.parseArg("--to", "2015-01"))))
                    .containsExactly(
                            "dry-run 2014-12 logs/2014-12-: 3 inputs, " + DryRun.size(LogData.concat(dec).length)
                                    + ", plain -> logs/2014-12_collapsed",
                            "dry-run 2015-01 logs/: nothing to do: the period has not ended at least s3logs.collapse.grace ago",
                            "dry-run: 2 period groups: 1 new outputs of 3 inputs, " + DryRun.size(LogData.concat(dec).length)
                                    + "; 0 resumed, 0 would fail, 1 with nothing to do; nothing was written or deleted");
        }
        List<GroupResult> r = f.run("2014-12", "2014-12", "s3logs.collapse.input-prefix", "logs/",
                "s3logs.collapse.increment", "m");

        assertThat(r).singleElement().satisfies(x -> {
            assertThat(x.summary()).startsWith("collapse 2014-12 logs/2014-12-: 3 objects, ")
                    .endsWith(" bytes -> logs/2014-12_collapsed");
        });
        assertThat(LogData.digest(f.get("logs/2014-12_collapsed"))).isEqualTo(LogData.digest(LogData.concat(dec)));
        assertThat(f.list("logs/").keySet()).containsExactlyInAnyOrder(nov.firstKey(), jan.firstKey(),
                "logs/2014-12-05_collapsed", "logs/2014-12-05_collapsed.manifest.json",
                "logs/2014-12_collapsed", "logs/2014-12_collapsed.manifest.json");
        assertThat(new String(f.get("logs/2014-12_collapsed.manifest.json"))).contains("\"period\" : \"2014-12\"");

        // a year: 2014 is everything from 2014-01-01 on, up to the last second of 2014-12-31
        SortedMap<String, byte[]> y2013 = access("y/", "2013-12-31T23:59:59");
        SortedMap<String, byte[]> y2014 = access("y/", "2014-01-01T00:00:00", "2014-02-28T10:00:00", "2014-12-31T23:59:59");
        LogData.putAll(f.s3, f.bucket, y2013);
        LogData.putAll(f.s3, f.bucket, y2014);
        List<GroupResult> year = f.run("2014", "2014", "s3logs.collapse.input-prefix", "y/", "s3logs.collapse.increment", "Y");
        assertThat(year.get(0).outputs()).containsExactly("y/2014_collapsed");
        assertThat(LogData.digest(f.get("y/2014_collapsed"))).isEqualTo(LogData.digest(LogData.concat(y2014)));
        assertThat(f.list("y/").keySet()).containsExactly(y2013.firstKey(), "y/2014_collapsed", "y/2014_collapsed.manifest.json");
        System.out.printf("CollapseMonthIT s3-access: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void cloudTrailPartitionedAndShipLayoutsListTheMonthsFolders() {
        long t0 = System.nanoTime();
        Fixture f = new Fixture("month-layouts");
        // CloudTrail: a folder per day; the month lists YYYY/MM/ of each account and region
        SortedMap<String, byte[]> ctDec = new TreeMap<>();
        SortedMap<String, byte[]> ctOther = new TreeMap<>();
        for (String t : List.of("2014-12-01T00:05", "2014-12-17T08:00", "2014-12-31T23:55", "2014-11-30T23:55", "2015-01-01T00:05")) {
            LocalDateTime at = LocalDateTime.parse(t);
            (at.getMonthValue() == 12 ? ctDec : ctOther).put(data.cloudTrailKey("", "111122223333", "us-east-1", at),
                    data.cloudTrailObject("111122223333", "us-east-1", at.toInstant(ZoneOffset.UTC), 2));
        }
        // partitioned access logs: {account}/{region}/{bucket}/YYYY/MM/DD/
        SortedMap<String, byte[]> partDec = new TreeMap<>();
        partDec.putAll(access("access/111122223333/eu-west-1/web/2014/12/01/", "2014-12-01T00:00:00"));
        partDec.putAll(access("access/111122223333/eu-west-1/web/2014/12/31/", "2014-12-31T23:59:59"));
        SortedMap<String, byte[]> partJan = access("access/111122223333/eu-west-1/web/2015/01/01/", "2015-01-01T00:00:00");
        // ship: {server}/yyyy-MM-dd/HH.mm.ss-seq
        SortedMap<String, byte[]> shipDec = new TreeMap<>();
        shipDec.put("web01/2014-12-01/00.00.00-000001.gz", LogData.gzip(data.accessObject(
                LocalDateTime.parse("2014-12-01T00:00").toInstant(ZoneOffset.UTC), 2)));
        shipDec.put("web01/2014-12-31/23.59.59-000001.gz", LogData.gzip(data.accessObject(
                LocalDateTime.parse("2014-12-31T23:59:59").toInstant(ZoneOffset.UTC), 2)));
        SortedMap<String, byte[]> shipNov = new TreeMap<>();
        shipNov.put("web01/2014-11-30/23.59.59-000001.gz", LogData.gzip(data.accessObject(
                LocalDateTime.parse("2014-11-30T23:59:59").toInstant(ZoneOffset.UTC), 2)));
        for (SortedMap<String, byte[]> m : List.of(ctDec, ctOther, partDec, partJan, shipDec, shipNov)) {
            LogData.putAll(f.s3, f.bucket, m);
        }

        List<GroupResult> ct = f.run("2014-12", "2014-12", "s3logs.collapse.layout", "cloudtrail",
                "s3logs.collapse.increment", "m");
        String ctOut = "AWSLogs_collapsed/111122223333/CloudTrail/us-east-1/111122223333_CloudTrail_us-east-1_201412_collapsed";
        assertThat(ct).singleElement().satisfies(x -> {
            assertThat(x.group().listPrefix()).isEqualTo("AWSLogs/111122223333/CloudTrail/us-east-1/2014/12/");
            assertThat(x.outputs()).containsExactly(ctOut);
        });
        assertThat(LogData.digest(f.get(ctOut))).isEqualTo(LogData.digest(LogData.concat(ctDec)));
        assertThat(f.list("AWSLogs/").keySet()).containsExactlyElementsOf(ctOther.keySet());

        List<GroupResult> part = f.run("2014-12", "2014-12", "s3logs.collapse.layout", "s3-access-partitioned",
                "s3logs.collapse.input-prefix", "access/", "s3logs.collapse.increment", "m");
        String partOut = "access/111122223333/eu-west-1/web/2014/12/2014-12_collapsed";
        assertThat(part).singleElement().extracting(GroupResult::outputs).asList().containsExactly(partOut);
        assertThat(LogData.digest(f.get(partOut))).isEqualTo(LogData.digest(LogData.concat(partDec)));
        assertThat(f.list("access/").keySet()).containsExactlyInAnyOrder(partJan.firstKey(), partOut, partOut + ".manifest.json");

        List<GroupResult> ship = f.run("2014-12", "2014-12", "s3logs.collapse.layout", "ship",
                "s3logs.collapse.output-prefix", "collapsed/", "s3logs.collapse.increment", "m");
        assertThat(ship).filteredOn(x -> x.group().listPrefix().startsWith("web01/")).singleElement().satisfies(x -> {
            assertThat(x.group().listPrefix()).isEqualTo("web01/2014-12-");
            assertThat(x.outputs()).containsExactly("collapsed/web01/2014-12_collapsed");
        });
        assertThat(LogData.digest(f.get("collapsed/web01/2014-12_collapsed"))).isEqualTo(LogData.digest(LogData.concat(shipDec)));
        assertThat(f.list("web01/").keySet()).containsExactlyElementsOf(shipNov.keySet());
        System.out.printf("CollapseMonthIT layouts: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
