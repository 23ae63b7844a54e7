package io.s3logroutes.collapse;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the {@code s3logs-collapse-action} kamelet in one CamelContext, on two buckets with different
 * prefixes: a run of each collapses its own bucket's ended periods and touches nothing of the other.
 */
class CollapseKameletIT {

    final LogData data = new LogData(11);

    @Test
    void twoInstancesCollapseTheirOwnBuckets() throws Exception {
        Fixture f1 = new Fixture("collapse-kamelet-1");
        Fixture f2 = new Fixture("collapse-kamelet-2");
        LocalDateTime hour = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS).minusHours(2);
        SortedMap<String, byte[]> objs1 = objects("x/", hour, 4);
        SortedMap<String, byte[]> objs2 = objects("y/", hour, 3);
        LogData.putAll(f1.s3, f1.bucket, objs1);
        LogData.putAll(f2.s3, f2.bucket, objs2);
        String out1 = "x/" + Increment.HOUR.dashed(hour) + "_collapsed";
        String out2 = "y/" + Increment.HOUR.dashed(hour) + "_collapsed";

        String yaml = route("c1", f1.bucket, "x/", f1) + route("c2", f2.bucket, "y/", f2);
        try (CamelContext ctx = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(ctx).loadRoutes(ResourceHelper.fromString("c.camel.yaml", yaml));
            ctx.start();
            Exchange r1 = ctx.createProducerTemplate().request("direct:c1", e -> { });
            assertThat(r1.getException()).isNull();
            assertThat(r1.getMessage().getHeader("S3LogsCollapseFailed", Long.class)).isZero();
            assertThat(r1.getMessage().getBody(List.class)).anySatisfy(s -> assertThat(s.toString()).contains(out1));
            // the first run collapsed bucket 1 only
            assertThat(f1.list("x/")).containsKey(out1).doesNotContainKeys(objs1.keySet().toArray(String[]::new));
            assertThat(f2.list("").keySet()).containsExactlyElementsOf(objs2.keySet());

            Exchange r2 = ctx.createProducerTemplate().request("direct:c2", e -> { });
            assertThat(r2.getException()).isNull();
            assertThat(r2.getMessage().getHeader("S3LogsCollapseFailed", Long.class)).isZero();
        }
        assertThat(LogData.digest(f1.get(out1))).isEqualTo(LogData.digest(LogData.concat(objs1)));
        assertThat(LogData.digest(f2.get(out2))).isEqualTo(LogData.digest(LogData.concat(objs2)));
        assertThat(f2.list("").keySet()).containsExactlyInAnyOrder(out2, out2 + ".manifest.json");
        assertThat(f1.list("").keySet()).containsExactlyInAnyOrder(out1, out1 + ".manifest.json");
    }

    @Test
    void collapseFlowIsAlsoAPlainProcessorOfOneWholeRun() throws Exception {
        Fixture f = new Fixture("collapse-flow-processor");
        LocalDateTime hour = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS).minusHours(2);
        SortedMap<String, byte[]> objs = objects("p/", hour, 3);
        LogData.putAll(f.s3, f.bucket, objs);
        String out = "p/" + Increment.HOUR.dashed(hour) + "_collapsed";
        io.s3logroutes.embed.CollapseFlow flow = new io.s3logroutes.embed.CollapseFlow();
        flow.setBucket(f.bucket);
        flow.setEndpoint(f.server.server().endpoint().toString());
        flow.setPathStyle("true");
        flow.setInputPrefix("p/");
        flow.setIncrement("H");
        flow.setGrace("0s");
        flow.setLookback("3h");
        try (CamelContext ctx = new DefaultCamelContext()) {
            ctx.getRegistry().bind("collapseFlow", flow);
            PluginHelper.getRoutesLoader(ctx).loadRoutes(ResourceHelper.fromString("p.camel.yaml", """
                    - route:
                        id: p
                        from:
                          uri: direct:p
                          steps:
                            - process:
                                ref: collapseFlow
                    """));
            ctx.start();
            Exchange r = ctx.createProducerTemplate().request("direct:p", e -> { });
            assertThat(r.getException()).isNull();
            assertThat(r.getMessage().getHeader("S3LogsCollapseFailed", Long.class)).isZero();
            assertThat(r.getMessage().getBody(List.class)).anySatisfy(l -> assertThat(l.toString()).contains(out));
        }
        assertThat(f.list("").keySet()).containsExactlyInAnyOrder(out, out + ".manifest.json");
        assertThat(LogData.digest(f.get(out))).isEqualTo(LogData.digest(LogData.concat(objs)));
    }

    private SortedMap<String, byte[]> objects(String prefix, LocalDateTime hour, int n) {
        SortedMap<String, byte[]> objs = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            LocalDateTime t = hour.plusMinutes(i * 7L);
            objs.put(data.accessKey(prefix, t), data.accessObject(t.toInstant(ZoneOffset.UTC), 3));
        }
        return objs;
    }

    private static String route(String id, String bucket, String prefix, Fixture f) {
        return """
                - route:
                    id: %s
                    from:
                      uri: direct:%s
                      steps:
                        - to:
                            uri: kamelet:s3logs-collapse-action/collapse-%s
                            parameters:
                              bucket: %s
                              endpoint: "%s"
                              pathStyle: true
                              inputPrefix: %s
                              increment: H
                              grace: 0s
                              lookback: 3h
                """.formatted(id, id, id, bucket, f.server.server().endpoint(), prefix);
    }
}
