package io.s3logroutes.testing;

import java.util.HashMap;
import java.util.Map;

/** The collapse flow's properties for a test: the schedule on, every two seconds, for one input prefix. */
public final class CollapseProps {

    /** The cron of {@link #scheduled}: a run every two seconds. */
    public static final String EVERY_2S = "0/2 * * * * ?";

    private CollapseProps() {
    }

    /** A cron that does not fire while a test runs (New Year 2099): the route exists and started, runs come by hand. */
    public static final String NEVER = "0 0 0 1 1 ? 2099";

    /**
     * The collapse schedule on, every two seconds, for the inputs under {@code inputPrefix}, plus {@code more}
     * ({@code s3logs.collapse.*} key and value pairs, for example {@code "s3logs.collapse.increment", "H"}).
     */
    public static Map<String, String> scheduled(String inputPrefix, String... more) {
        return on(EVERY_2S, inputPrefix, more);
    }

    /**
     * The flow on with the schedule {@link #NEVER}: the route {@code collapse-s3} exists (a flow that is off has no
     * route), and the test runs it with its processor.
     */
    public static Map<String, String> manual(String inputPrefix, String... more) {
        return on(NEVER, inputPrefix, more);
    }

    private static Map<String, String> on(String cron, String inputPrefix, String... more) {
        if (more.length % 2 != 0) {
            throw new IllegalArgumentException("key and value pairs expected");
        }
        Map<String, String> p = new HashMap<>();
        p.put("s3logs.collapse.enabled", "true");
        p.put("s3logs.collapse.cron", cron);
        p.put("s3logs.collapse.input-prefix", inputPrefix);
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }
}
