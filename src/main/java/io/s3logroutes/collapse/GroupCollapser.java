package io.s3logroutes.collapse;

/**
 * The steps of one group in the order the route {@code collapse-s3} runs them, for the callers that are not a
 * route (the backlog command): resume and cut, then per new output concatenate, manifest, complete and verify,
 * delete. A failed step ends the group with its error; the outputs done before it stay in the result.
 */
final class GroupCollapser {

    private final CollapseSteps steps;

    GroupCollapser(CollapseSteps steps) {
        this.steps = steps;
    }

    GroupResult collapse(GroupWork w) {
        try {
            steps.resume(w);
            for (OutputWork o : w.getPending()) {
                steps.delete(steps.complete(steps.manifest(steps.concatenate(o))));
            }
            return steps.result(w);
        } catch (RuntimeException e) {
            return steps.failed(w, e);
        }
    }
}
