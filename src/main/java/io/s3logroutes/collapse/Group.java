package io.s3logroutes.collapse;

/**
 * The objects of one period that go into one output series: every key under {@code listPrefix} (except our own
 * outputs and manifests) goes into {@code outputBase}, {@code outputBase-0002}, ...
 */
public record Group(Period period, String listPrefix, String outputBase) {

    static final String MARK = "_collapsed";
    static final String MANIFEST_SUFFIX = ".manifest.json";

    /** Whether a listed key is an input (not an output or manifest of a collapse run). */
    static boolean isInput(String key) {
        return !key.contains(MARK);
    }

    String outputKey(int n) {
        return n == 1 ? outputBase : outputBase + String.format("-%04d", n);
    }

    static String manifestKey(String outputKey) {
        return outputKey + MANIFEST_SUFFIX;
    }

    /** The output number of a key under {@link #outputBase}: 1 for the base, n for {@code -000n}; 0 if neither. */
    int outputNumber(String key) {
        if (key.equals(outputBase)) {
            return 1;
        }
        String rest = key.startsWith(outputBase + "-") ? key.substring(outputBase.length() + 1) : "";
        if (rest.length() == 4 && rest.chars().allMatch(Character::isDigit)) {
            int n = Integer.parseInt(rest);
            return n >= 2 ? n : 0;
        }
        return 0;
    }
}
