package io.s3logroutes.collapse;

/**
 * The objects of one period that go into one output series: every key under {@code listPrefix} (except our own
 * outputs and manifests) goes into {@code outputBase}, {@code outputBase-0002}, ... With
 * {@code s3logs.collapse.on-mix=split} the gzip inputs go into a second series, the same keys with {@code .gz}
 * appended ({@code outputBase.gz}, {@code outputBase-0002.gz}, ...), numbered on their own.
 */
public record Group(Period period, String listPrefix, String outputBase) {

    static final String MARK = "_collapsed";
    static final String MANIFEST_SUFFIX = ".manifest.json";
    static final String GZ_SUFFIX = ".gz";

    /** One output of the group: its number in its series, and whether it is of the {@code .gz} series. */
    record Slot(int number, boolean gz) implements Comparable<Slot> {
        @Override
        public int compareTo(Slot o) {
            return number != o.number ? Integer.compare(number, o.number) : Boolean.compare(gz, o.gz);
        }
    }

    /** Whether a listed key is an input (not an output or manifest of a collapse run). */
    static boolean isInput(String key) {
        return !key.contains(MARK);
    }

    String outputKey(int n) {
        return outputKey(n, false);
    }

    /** Output {@code n} of the plain series or, with {@code gz}, of the {@code .gz} series. */
    String outputKey(int n, boolean gz) {
        return (n == 1 ? outputBase : outputBase + String.format("-%04d", n)) + (gz ? GZ_SUFFIX : "");
    }

    String outputKey(Slot s) {
        return outputKey(s.number(), s.gz());
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

    /** The slot of an output key of either series; {@code null} for any other key. */
    Slot slot(String key) {
        boolean gz = key.endsWith(GZ_SUFFIX);
        int n = outputNumber(gz ? key.substring(0, key.length() - GZ_SUFFIX.length()) : key);
        return n > 0 ? new Slot(n, gz) : null;
    }
}
