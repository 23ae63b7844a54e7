package io.s3logroutes.collapse;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.s3logroutes.testing.App;
import io.s3logroutes.testing.CollapseProps;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The route {@code collapse-s3} as the jar runs it (Camel Main, Quartz), and the one-run-at-a-time rule. */
class CollapseRouteIT {

    final LogData data = new LogData(5);

    @Test
    void quartzRouteCollapsesTheEndedPeriods() throws Exception {
        Fixture f = new Fixture("route");
        LocalDateTime hour = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS).minusHours(2);
        SortedMap<String, byte[]> objs = new TreeMap<>();
        for (int i = 0; i < 12; i++) {
            LocalDateTime t = hour.plusMinutes(i * 5L);
            objs.put(data.accessKey("r/", t), data.accessObject(t.toInstant(ZoneOffset.UTC), 2));
        }
        // an object of the current hour: that period has not ended and is never collapsed
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        String current = data.accessKey("r/", now);
        LogData.putAll(f.s3, f.bucket, objs);
        LogData.putAll(f.s3, f.bucket, Map.of(current, data.accessObject(now.toInstant(ZoneOffset.UTC), 1)));
        String out = "r/" + Increment.HOUR.dashed(hour) + "_collapsed";

        Map<String, String> props = f.props();
        props.putAll(CollapseProps.scheduled("r/", "s3logs.collapse.time-zone", "Europe/Stockholm",
                "s3logs.collapse.increment", "H", "s3logs.collapse.grace", "0s", "s3logs.collapse.lookback", "3h"));
        try (App app = App.start(props)) {
            Route route = app.context().getRoute("collapse-s3");
            assertThat(route).isNotNull();
            assertThat(route.getEndpoint().getEndpointUri()).contains("quartz://s3logs/collapse");
            await().atMost(Duration.ofSeconds(60)).until(() -> f.list(out).containsKey(out + ".manifest.json")
                    && !f.list("r/").keySet().stream().anyMatch(objs::containsKey));
        }
        assertThat(LogData.digest(f.get(out))).isEqualTo(LogData.digest(LogData.concat(objs)));
        assertThat(f.list("r/").keySet()).contains(current);
    }

    @Test
    void aFailedGroupIsCountedAndTheOtherGroupsGoOn() throws Exception {
        Fixture f = new Fixture("route-fail");
        LocalDateTime hour = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS).minusHours(3);
        SortedMap<String, byte[]> bad = new TreeMap<>();
        SortedMap<String, byte[]> good = new TreeMap<>();
        for (int i = 0; i < 3; i++) {
            LocalDateTime t = hour.plusMinutes(i * 10L);
            bad.put(data.accessKey("r/", t), data.accessObject(t.toInstant(ZoneOffset.UTC), 2));
            LocalDateTime u = hour.plusHours(1).plusMinutes(i * 10L);
            good.put(data.accessKey("r/", u), data.accessObject(u.toInstant(ZoneOffset.UTC), 2));
        }
        // the first hour mixes gzip and plain objects: that group fails, naming the key; the next hour is collapsed
        String gz = bad.lastKey();
        bad.put(gz, LogData.gzip(bad.get(gz)));
        LogData.putAll(f.s3, f.bucket, bad);
        LogData.putAll(f.s3, f.bucket, good);
        String goodOut = "r/" + Increment.HOUR.dashed(hour.plusHours(1)) + "_collapsed";

        Map<String, String> props = f.props();
        props.putAll(CollapseProps.manual("r/", "s3logs.collapse.increment", "H", "s3logs.collapse.grace", "0s",
                "s3logs.collapse.lookback", "4h"));
        try (App app = App.start(props)) {
            Exchange run = new DefaultExchange(app.context());
            app.context().getRoute("collapse-s3").getProcessor().process(run);

            assertThat(run.getException()).isNull();
            assertThat(run.getMessage().getHeader("S3LogsCollapseFailed", Long.class)).isEqualTo(1);
            assertThat(run.getMessage().getBody(List.class)).anySatisfy(l -> assertThat(l.toString())
                    .contains("FAILED").contains(gz + " is gzip"))
                    .anySatisfy(l -> assertThat(l.toString()).contains("3 objects").contains(goodOut));
        }
        assertThat(f.list("r/").keySet()).containsAll(bad.keySet()).contains(goodOut, goodOut + ".manifest.json")
                .doesNotContainAnyElementsOf(good.keySet());
        assertThat(f.pendingUploads()).isZero();
    }

    @Test
    void offByDefaultWithoutARouteOrQuartz() throws Exception {
        Fixture f = new Fixture("route-off");
        try (App app = App.start(f.props())) {
            // a flow that is off has no route (precondition), so Quartz and its scheduler's threads never start
            assertThat(app.context().getRoute("collapse-s3")).isNull();
            assertThat(app.context().hasComponent("quartz")).isNull();
        }
    }

    @Test
    void aRunWhileAnotherIsInProgressDoesNothing() throws Exception {
        Fixture f = new Fixture("overlap");
        LocalDateTime t = LocalDateTime.parse("2014-12-31T10:00");
        LogData.putAll(f.s3, f.bucket, Map.of(data.accessKey("", t), data.accessObject(t.toInstant(ZoneOffset.UTC), 1)));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (CollapseService svc = f.service((step, key) -> {
            if (step == CollapseHook.Step.SNAPSHOT_TAKEN) {
                inside.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        })) {
            List<Period> day = Periods.range(Increment.DAY, t, t);
            CompletableFuture<List<GroupResult>> first = CompletableFuture.supplyAsync(() -> svc.run(day));
            assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(svc.run(day)).as("the overlapping run").isEmpty();
            release.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS)).singleElement()
                    .extracting(GroupResult::status).isEqualTo(GroupResult.Status.COLLAPSED);
        }
    }
}
