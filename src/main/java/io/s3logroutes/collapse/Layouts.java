package io.s3logroutes.collapse;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;

/**
 * The key layouts collapse knows: where the inputs of a period are and what the outputs are called. Accounts,
 * regions, buckets and servers given as {@code *} are discovered by listing with the delimiter {@code /}. A month or
 * a year of a layout with a folder per day lists the month's or year's folder; its output lies in that folder
 * ({@code s3-access-partitioned}) or is named by {@code yyyyMM} or {@code yyyy} ({@code cloudtrail}).
 */
final class Layouts {

    private static final DateTimeFormatter YMD_SLASH = DateTimeFormatter.ofPattern("yyyy/MM/dd");
    private static final DateTimeFormatter YM_SLASH = DateTimeFormatter.ofPattern("yyyy/MM");
    private static final DateTimeFormatter Y = DateTimeFormatter.ofPattern("yyyy");
    private static final DateTimeFormatter YMD = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter YM = DateTimeFormatter.ofPattern("yyyyMM");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");

    private final CollapseSettings s;
    private final S3Client s3;
    private final String bucket;

    Layouts(CollapseSettings s, S3Client s3, String bucket) {
        this.s = s;
        this.s3 = s3;
        this.bucket = bucket;
    }

    List<Group> groups(Period p) {
        return switch (s.layout()) {
            case S3_ACCESS -> List.of(new Group(p, s.inputPrefix() + p.label() + "-", s.outputPrefix() + p.label() + Group.MARK));
            case S3_ACCESS_PARTITIONED -> partitioned(p);
            case CLOUDTRAIL -> cloudtrail(p);
            case SHIP -> ship(p);
        };
    }

    /**
     * {@code {prefix}{account}/{region}/{bucket}/YYYY/MM/DD/YYYY-MM-DD-hh-mm-ss-UNIQUE}; a month lists
     * {@code .../YYYY/MM/} into {@code .../YYYY/MM/YYYY-MM_collapsed}, a year {@code .../YYYY/} into
     * {@code .../YYYY/YYYY_collapsed}.
     */
    private List<Group> partitioned(Period p) {
        List<Group> out = new ArrayList<>();
        String date = folder(p) + "/";
        String file = p.increment().withinDay() ? p.label() + "-" : "";
        for (String account : level(s.inputPrefix(), s.accounts())) {
            for (String region : level(s.inputPrefix() + account + "/", s.regions())) {
                for (String b : level(s.inputPrefix() + account + "/" + region + "/", List.of("*"))) {
                    String rel = account + "/" + region + "/" + b + "/" + date;
                    out.add(new Group(p, s.inputPrefix() + rel + file, s.outputPrefix() + rel + p.label() + Group.MARK));
                }
            }
        }
        return out;
    }

    /** The date folder of a period: {@code YYYY/MM/DD} (a day or less), {@code YYYY/MM} or {@code YYYY}. */
    private static String folder(Period p) {
        return switch (p.increment()) {
            case YEAR -> Y.format(p.start());
            case MONTH -> YM_SLASH.format(p.start());
            case DAY, HOUR, MINUTE -> YMD_SLASH.format(p.start());
        };
    }

    /**
     * {@code AWSLogs/{account}/CloudTrail/{region}/YYYY/MM/DD/{account}_CloudTrail_{region}_YYYYMMDDTHHmmZ_UNIQUE.json.gz};
     * the output is named by the period's date and time without separators ({@code 20141231}, {@code 2014123123},
     * {@code 201412312359}; a month {@code 201412} and a year {@code 2014}, whose folder is listed).
     */
    private List<Group> cloudtrail(Period p) {
        List<Group> out = new ArrayList<>();
        String root = s.inputPrefix() + "AWSLogs/";
        LocalDateTime t = p.start();
        String date = switch (p.increment()) {
            case YEAR -> Y.format(t);
            case MONTH -> YM.format(t);
            case DAY, HOUR, MINUTE -> YMD.format(t);
        };
        String time = switch (p.increment()) {
            case YEAR, MONTH, DAY -> "";
            case HOUR -> String.format("%02d", t.getHour());
            case MINUTE -> String.format("%02d%02d", t.getHour(), t.getMinute());
        };
        for (String account : level(root, s.accounts())) {
            for (String region : level(root + account + "/CloudTrail/", s.regions())) {
                String file = account + "_CloudTrail_" + region + "_" + date;
                String in = root + account + "/CloudTrail/" + region + "/" + folder(p) + "/"
                        + (p.increment().withinDay() ? file + "T" + time : "");
                String outKey = s.outputPrefix() + "AWSLogs_collapsed/" + account + "/CloudTrail/" + region + "/" + file
                        + time + Group.MARK;
                out.add(new Group(p, in, outKey));
            }
        }
        return out;
    }

    /**
     * Ship's keys {@code {server}/{yyyy-MM-dd}/{HH.mm.ss}-{seq}} (a month lists {@code {server}/yyyy-MM-}, a year
     * {@code {server}/yyyy-}); outputs go under the separate output prefix.
     */
    private List<Group> ship(Period p) {
        List<Group> out = new ArrayList<>();
        LocalDateTime t = p.start();
        String when = switch (p.increment()) {
            case YEAR, MONTH -> p.label() + "-";
            case DAY -> DAY.format(t) + "/";
            case HOUR -> DAY.format(t) + "/" + String.format("%02d.", t.getHour());
            case MINUTE -> DAY.format(t) + "/" + String.format("%02d.%02d.", t.getHour(), t.getMinute());
        };
        for (String server : level(s.inputPrefix(), List.of("*"))) {
            if ((s.inputPrefix() + server + "/").startsWith(s.outputPrefix())) {
                continue;
            }
            out.add(new Group(p, s.inputPrefix() + server + "/" + when,
                    s.outputPrefix() + server + "/" + p.label() + Group.MARK));
        }
        return out;
    }

    /** The names one level below {@code prefix}: the configured ones, or those listed when the list is {@code *}. */
    private List<String> level(String prefix, List<String> configured) {
        if (!configured.equals(List.of("*"))) {
            return configured;
        }
        List<String> names = new ArrayList<>();
        for (CommonPrefix cp : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).delimiter("/")).commonPrefixes()) {
            String name = cp.prefix().substring(prefix.length(), cp.prefix().length() - 1);
            if (!name.isEmpty() && !name.contains(Group.MARK)) {
                names.add(name);
            }
        }
        return names;
    }
}
