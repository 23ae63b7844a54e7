package io.s3logroutes.collapse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import io.s3logroutes.event.EventCodec;
import io.s3logroutes.event.LogEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The ship layout: per server and hour, outputs under a separate prefix that fetch does not read. */
class CollapseShipIT {

    final LogData data = new LogData(9);

    @Test
    void shipObjectsPerServerGoUnderTheOutputPrefix() throws Exception {
        Fixture f = new Fixture("ship");
        f.clock = java.time.Clock.fixed(Instant.parse("2018-05-17T15:00:00Z"), ZoneOffset.UTC);
        SortedMap<String, byte[]> s1 = new TreeMap<>();
        SortedMap<String, byte[]> s2 = new TreeMap<>();
        SortedMap<String, byte[]> later = new TreeMap<>();
        for (int i = 0; i < 20; i++) {
            LocalDateTime t = LocalDateTime.parse("2018-05-17T13:00").plusSeconds(i * 170L);
            String time = String.format("%02d.%02d.%02d", t.getHour(), t.getMinute(), t.getSecond());
            Instant at = t.toInstant(ZoneOffset.UTC);
            s1.put(String.format("SERVER01/2018-05-17/%s-%06d.gz", time, i + 1), LogData.gzip(data.accessObject(at, 3)));
            s2.put(String.format("SERVER02/2018-05-17/%s-%06d", time, i + 1), ndjson(at, i));
            later.put(String.format("SERVER01/2018-05-17/14.%02d.00-%06d.gz", i, i + 1), LogData.gzip(data.accessObject(at, 1)));
        }
        LogData.putAll(f.s3, f.bucket, s1);
        LogData.putAll(f.s3, f.bucket, s2);
        LogData.putAll(f.s3, f.bucket, later);

        List<GroupResult> r = f.run("2018-05-17T13", "2018-05-17T13", "s3logs.collapse.layout", "ship",
                "s3logs.collapse.output-prefix", "collapsed/", "s3logs.collapse.increment", "H");

        assertThat(r).extracting(GroupResult::outputs).containsExactly(List.of("collapsed/SERVER01/2018-05-17-13_collapsed"),
                List.of("collapsed/SERVER02/2018-05-17-13_collapsed"));
        byte[] out1 = f.get("collapsed/SERVER01/2018-05-17-13_collapsed");
        assertThat(LogData.digest(out1)).isEqualTo(LogData.digest(LogData.concat(s1)));
        java.io.ByteArrayOutputStream plain = new java.io.ByteArrayOutputStream();
        s1.values().forEach(v -> plain.writeBytes(LogData.zcat(v)));
        assertThat(LogData.digest(LogData.zcat(out1))).isEqualTo(LogData.digest(plain.toByteArray()));
        String out2 = new String(f.get("collapsed/SERVER02/2018-05-17-13_collapsed"), StandardCharsets.UTF_8);
        assertThat(out2.lines()).hasSize(20).allSatisfy(l -> assertThat(EventCodec.fromJson(l).rawText()).startsWith("event "));
        assertThat(f.list("SERVER01/").keySet()).containsExactlyElementsOf(later.keySet());
        assertThat(f.list("SERVER02/")).isEmpty();

        // the current hour is never collapsed
        assertThat(f.run("2018-05-17T14", "2018-05-17T14", "s3logs.collapse.layout", "ship",
                "s3logs.collapse.output-prefix", "collapsed/", "s3logs.collapse.increment", "H"))
                .singleElement().extracting(GroupResult::status).isEqualTo(GroupResult.Status.NOT_RIPE);
        assertThat(f.list("SERVER01/").keySet()).containsExactlyElementsOf(later.keySet());

        // a second run does not treat the output prefix as a server (SERVER02 has no objects left at all)
        List<GroupResult> again = f.run("2018-05-17T13", "2018-05-17T13", "s3logs.collapse.layout", "ship",
                "s3logs.collapse.output-prefix", "collapsed/", "s3logs.collapse.increment", "H");
        assertThat(again).extracting(x -> x.group().listPrefix())
                .containsExactly("SERVER01/2018-05-17/13.");
    }

    private static byte[] ndjson(Instant at, int i) throws Exception {
        LogEvent e = LogEvent.ofText("event " + i + " of the app", Map.of(LogEvent.EVENT_RECEIVED_TIME, at.toString(),
                LogEvent.SOURCE_MODULE_NAME, "app", LogEvent.SOURCE_MODULE_TYPE, "im_file", LogEvent.HOSTNAME, "server02",
                LogEvent.FILE_NAME, "/var/log/app.log"));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(EventCodec.toJson(e));
        out.write('\n');
        return out.toByteArray();
    }
}
