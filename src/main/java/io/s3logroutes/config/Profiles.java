package io.s3logroutes.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Ship's profiles ({@code s3logs.ship.profile}): a profile is a set of defaults for other keys, applied beneath every
 * explicit setting. So a key set anywhere (a {@code -D}, an environment variable, an {@code application.properties})
 * wins over the profile, and the profile wins over the code's own default. The application gives the profile's
 * values to Camel as initial properties, the last place Camel looks, so the routes' placeholders and {@link Props}
 * see the same values. A pure class.
 */
public final class Profiles {

    public static final String KEY = "s3logs.ship.profile";

    /**
     * {@code nxlog}: what the NXLog add-on's {@code s3_write.py} wrote. One object per event, no gzip, the bare
     * {@code raw_event} without a line end, keys {@code SERVER/YYYY-MM-DD/HH.MM.SS-N} with an unpadded counter.
     */
    static final Map<String, String> NXLOG = ordered(
            "s3logs.ship.batch.max-events", "1",
            "s3logs.ship.gzip", "false",
            "s3logs.ship.format", "raw",
            "s3logs.ship.newline", "false",
            "s3logs.ship.key-pattern", "{server}/{yyyy-MM-dd}/{HH.mm.ss}-{seq}",
            "s3logs.ship.seq-digits", "1");

    /**
     * No profile: the code's own defaults of the keys a profile sets, given to Camel the same way, so that the
     * {@code check} command prints them and the routes' placeholders see them ({@code ProfilesTest} keeps them equal
     * to the code's).
     */
    static final Map<String, String> NONE = ordered(
            "s3logs.ship.batch.max-events", "100000",
            "s3logs.ship.gzip", "true",
            "s3logs.ship.format", "raw",
            "s3logs.ship.newline", "true",
            "s3logs.ship.key-pattern", "{server}/{yyyy-MM-dd}/{HH.mm.ss}-{seq}",
            "s3logs.ship.seq-digits", "6");

    private static final Map<String, Map<String, String>> PROFILES = Map.of("nxlog", NXLOG);

    private Profiles() {
    }

    /**
     * The defaults of the profile {@code name}; for an empty name, the code's defaults of the same keys.
     *
     * @throws ConfigException naming {@value #KEY} when there is no such profile
     */
    public static Map<String, String> defaults(Optional<String> name) {
        if (name.isEmpty()) {
            return NONE;
        }
        Map<String, String> d = PROFILES.get(name.get());
        if (d == null) {
            throw new ConfigException(KEY + " must be empty or one of " + new TreeSet<>(PROFILES.keySet())
                    + ", got '" + name.get() + "'");
        }
        return d;
    }

    /** Every profile's name and defaults. */
    public static Map<String, Map<String, String>> all() {
        return PROFILES;
    }

    /**
     * Puts the defaults of the profile that {@code props} names beneath the explicit settings of Camel's properties.
     *
     * @return the defaults applied
     */
    public static Map<String, String> apply(Props props, org.apache.camel.spi.PropertiesComponent properties) {
        Map<String, String> d = defaults(props.raw(KEY));
        d.forEach(properties::addInitialProperty);
        return d;
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
