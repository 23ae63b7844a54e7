package io.s3logroutes.observe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/** Which flows have gone without a success for longer than their limit ({@code s3logs.health.<flow>-max-silence}). */
public final class Silence {

    private Silence() {
    }

    /**
     * @param limits        the flows checked and their limits
     * @param lastSuccess   epoch milliseconds of each flow's last success, 0 before the first
     * @param startedMillis when the check began: a flow without a success yet counts from there
     * @return one message naming every silent flow, or null when none is
     */
    public static String problem(Map<String, Duration> limits, Map<String, LongSupplier> lastSuccess,
                                 long startedMillis, long nowMillis) {
        List<String> silent = new ArrayList<>();
        limits.forEach((flow, limit) -> {
            LongSupplier last = lastSuccess.get(flow);
            long at = last == null ? 0 : last.getAsLong();
            long since = at > 0 ? at : startedMillis;
            long quiet = nowMillis - since;
            if (quiet > limit.toMillis()) {
                silent.add(flow + ": " + (at > 0 ? "last success " + quiet / 1000 + "s ago" : "no success in the "
                        + quiet / 1000 + "s since start") + ", more than s3logs.health." + flow + "-max-silence="
                        + limit.toMillis() / 1000 + "s");
            }
        });
        return silent.isEmpty() ? null : String.join("; ", silent);
    }
}
