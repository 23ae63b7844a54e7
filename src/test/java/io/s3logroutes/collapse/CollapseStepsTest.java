package io.s3logroutes.collapse;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import io.s3logroutes.config.Props;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The plain step logic that needs no S3: the plan of the s3-access layout and a group's summary after its steps. */
class CollapseStepsTest {

    static CollapseSettings settings(String... kv) {
        java.util.Map<String, String> m = LogData.map(kv);
        return CollapseSettings.from(new Props(k -> Optional.ofNullable(m.get(k))));
    }

    @Test
    void planSettlesPeriodsThatHaveNotEndedAndGroupsTheOthers() {
        CollapseSettings cs = settings("s3logs.collapse.input-prefix", "logs/", "s3logs.collapse.increment", "H",
                "s3logs.collapse.grace", "1h");
        // the s3-access layout has one group per period and lists nothing
        PeriodPlanner planner = new PeriodPlanner(cs, new Layouts(cs, null, "bucket"));
        LocalDateTime t = LocalDateTime.parse("2015-01-05T09:00");
        List<GroupWork> plan = planner.plan(Periods.range(Increment.HOUR, t, t.plusHours(2)),
                Instant.parse("2015-01-05T11:30:00Z"));

        assertThat(plan).hasSize(3);
        assertThat(plan.get(0).isSettled()).isFalse();
        assertThat(plan.get(0).group().listPrefix()).isEqualTo("logs/2015-01-05-09-");
        assertThat(plan.get(0).group().outputBase()).isEqualTo("logs/2015-01-05-09_collapsed");
        // 10:00-11:00 ended only 30 minutes ago, 11:00 has not ended: neither is collapsed yet
        assertThat(plan.subList(1, 3)).allSatisfy(w -> {
            assertThat(w.isSettled()).isTrue();
            assertThat(w.result().status()).isEqualTo(GroupResult.Status.NOT_RIPE);
            assertThat(w.getPending()).isEmpty();
        });
    }

    @Test
    void aGroupsSummaryCountsWhatItsStepsDidAndKeepsItOnFailure() {
        Period p = Periods.range(Increment.DAY, LocalDateTime.parse("2014-12-31T00:00"),
                LocalDateTime.parse("2014-12-31T00:00")).get(0);
        GroupWork w = GroupWork.of(new Group(p, "2014-12-31-", "2014-12-31_collapsed"));
        assertThat(w.result().status()).as("nothing found").isEqualTo(GroupResult.Status.EMPTY);

        w.done("2014-12-31_collapsed", 3, 300);
        w.note("resumed 2014-12-31_collapsed (3 inputs deleted)");
        w.done("2014-12-31_collapsed-0002", 2, 20);
        GroupResult ok = w.result();
        assertThat(ok.status()).isEqualTo(GroupResult.Status.COLLAPSED);
        assertThat(ok.objects()).isEqualTo(5);
        assertThat(ok.bytes()).isEqualTo(320);
        assertThat(ok.outputs()).containsExactly("2014-12-31_collapsed", "2014-12-31_collapsed-0002");

        GroupResult failed = w.failed("3 inputs of 2014-12-31_collapsed-0002 could not be deleted");
        assertThat(failed.ok()).isFalse();
        assertThat(failed.summary()).isEqualTo("collapse 2014-12-31 2014-12-31-: FAILED (5 objects, 320 bytes done ->"
                + " 2014-12-31_collapsed, 2014-12-31_collapsed-0002); resumed 2014-12-31_collapsed (3 inputs deleted);"
                + " 3 inputs of 2014-12-31_collapsed-0002 could not be deleted");
    }
}
