package io.s3logroutes.collapse;

import java.util.List;

/**
 * The collapse steps as bean methods, for the {@code bean} steps of the route template {@code s3logs-collapse} and
 * of the kamelet {@code s3logs-collapse-action}: each method is one step of {@link CollapseSteps}, on the plain
 * objects the route passes along (no {@code Exchange}).
 */
public interface CollapseStepBeans {

    /** The steps of this instance's configuration. */
    CollapseSteps steps();

    default List<GroupWork> plan() {
        return steps().plan();
    }

    default GroupWork resume(GroupWork w) {
        return steps().resume(w);
    }

    default OutputWork concatenate(OutputWork o) {
        return steps().concatenate(o);
    }

    default OutputWork manifest(OutputWork o) {
        return steps().manifest(o);
    }

    default OutputWork complete(OutputWork o) {
        return steps().complete(o);
    }

    default OutputWork delete(OutputWork o) {
        return steps().delete(o);
    }

    default GroupResult result(GroupWork w) {
        return steps().result(w);
    }

    default GroupResult failed(GroupWork w, Exception e) {
        return steps().failed(w, e);
    }

    default RunReport report(List<GroupResult> results) {
        return steps().report(results);
    }

    default void end() {
        steps().end();
    }
}
