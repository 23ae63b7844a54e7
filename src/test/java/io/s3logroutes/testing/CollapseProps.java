package io.s3logroutes.testing;

import java.util.HashMap;
import java.util.Map;

/** The collapse flow's properties for a test: the schedule on, every two seconds, for one input prefix. */
public final class CollapseProps {

    /** The cron of {@link #scheduled}: a run every two seconds. */
    public static final String EVERY_2S = "0/2 * * * * ?";

    private CollapseProps() {
    }

    /**
     * The collapse schedule on, every two seconds, for the inputs under {@code inputPrefix}, plus {@code more}
     * ({@code s3logs.collapse.*} key and value pairs, for example {@code "s3logs.collapse.increment", "H"}).
     */
    public static Map<String, String> scheduled(String inputPrefix, String... more) {
        if (more.length % 2 != 0) {
            throw new IllegalArgumentException("key and value pairs expected");
        }
        Map<String, String> p = new HashMap<>();
        p.put("s3logs.collapse.enabled", "true");
        p.put("s3logs.collapse.cron", EVERY_2S);
        p.put("s3logs.collapse.input-prefix", inputPrefix);
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }
}
