package io.s3logroutes.collapse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.s3logroutes.s3.S3Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step "plan": the groups of the given periods, in order. A period that has not ended {@code grace} ago, that has
 * no group, or whose accounts, regions or servers cannot be listed becomes one settled group with that result.
 */
final class PeriodPlanner {

    private static final Logger LOG = LoggerFactory.getLogger("io.s3logroutes.collapse");

    private final CollapseSettings cs;
    private final Layouts layouts;

    PeriodPlanner(CollapseSettings cs, Layouts layouts) {
        this.cs = cs;
        this.layouts = layouts;
    }

    List<GroupWork> plan(List<Period> periods, Instant now) {
        List<GroupWork> out = new ArrayList<>();
        for (Period p : periods) {
            out.addAll(groups(p, now));
        }
        return out;
    }

    private List<GroupWork> groups(Period p, Instant now) {
        if (!Periods.ripe(p, now, cs.grace())) {
            return List.of(settled(p, GroupResult.Status.NOT_RIPE, List.of()));
        }
        List<Group> groups;
        try {
            groups = layouts.groups(p);
        } catch (RuntimeException e) {
            LOG.error("collapse {}: cannot list the accounts, regions or servers of layout {}: {}", p, cs.layout(),
                    S3Errors.describe(e), e);
            return List.of(settled(p, GroupResult.Status.FAILED, List.of(S3Errors.describe(e))));
        }
        if (groups.isEmpty()) {
            return List.of(settled(p, GroupResult.Status.EMPTY, List.of()));
        }
        return groups.stream().map(GroupWork::of).toList();
    }

    private GroupWork settled(Period p, GroupResult.Status status, List<String> notes) {
        return GroupWork.settled(new GroupResult(new Group(p, cs.inputPrefix(), ""), status, 0, 0, List.of(), notes));
    }
}
