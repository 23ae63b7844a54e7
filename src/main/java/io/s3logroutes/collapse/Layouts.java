package io.s3logroutes.collapse;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;

/**
 * The key layouts collapse knows: where the inputs of a period are and what the outputs are called. Accounts,
 * regions, buckets and servers given as {@code *} are discovered by listing with the delimiter {@code /}.
 */
final class Layouts {

    private static final DateTimeFormatter YMD_SLASH = DateTimeFormatter.ofPattern("yyyy/MM/dd");
    private static final DateTimeFormatter YMD = DateTimeFormatter.ofPattern("yyyyMMdd");
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

    /** {@code {prefix}{account}/{region}/{bucket}/YYYY/MM/DD/YYYY-MM-DD-hh-mm-ss-UNIQUE}. */
    private List<Group> partitioned(Period p) {
        List<Group> out = new ArrayList<>();
        String date = YMD_SLASH.format(p.start()) + "/";
        for (String account : level(s.inputPrefix(), s.accounts())) {
            for (String region : level(s.inputPrefix() + account + "/", s.regions())) {
                for (String b : level(s.inputPrefix() + account + "/" + region + "/", List.of("*"))) {
                    String rel = account + "/" + region + "/" + b + "/" + date;
                    out.add(new Group(p, s.inputPrefix() + rel + p.label() + "-", s.outputPrefix() + rel + p.label() + Group.MARK));
                }
            }
        }
        return out;
    }

    /** {@code AWSLogs/{account}/CloudTrail/{region}/YYYY/MM/DD/{account}_CloudTrail_{region}_YYYYMMDDTHHmmZ_UNIQUE.json.gz}. */
    private List<Group> cloudtrail(Period p) {
        List<Group> out = new ArrayList<>();
        String root = s.inputPrefix() + "AWSLogs/";
        LocalDateTime t = p.start();
        String time = switch (p.increment()) {
            case DAY -> "";
            case HOUR -> String.format("%02d", t.getHour());
            case MINUTE -> String.format("%02d%02d", t.getHour(), t.getMinute());
        };
        for (String account : level(root, s.accounts())) {
            for (String region : level(root + account + "/CloudTrail/", s.regions())) {
                String file = account + "_CloudTrail_" + region + "_" + YMD.format(t);
                String in = root + account + "/CloudTrail/" + region + "/" + YMD_SLASH.format(t) + "/" + file + "T" + time;
                String outKey = s.outputPrefix() + "AWSLogs_collapsed/" + account + "/CloudTrail/" + region + "/" + file
                        + time + Group.MARK;
                out.add(new Group(p, in, outKey));
            }
        }
        return out;
    }

    /** Ship's keys {@code {server}/{yyyy-MM-dd}/{HH.mm.ss}-{seq}}; outputs go under the separate output prefix. */
    private List<Group> ship(Period p) {
        List<Group> out = new ArrayList<>();
        LocalDateTime t = p.start();
        String time = switch (p.increment()) {
            case DAY -> "";
            case HOUR -> String.format("%02d.", t.getHour());
            case MINUTE -> String.format("%02d.%02d.", t.getHour(), t.getMinute());
        };
        for (String server : level(s.inputPrefix(), List.of("*"))) {
            if ((s.inputPrefix() + server + "/").startsWith(s.outputPrefix())) {
                continue;
            }
            out.add(new Group(p, s.inputPrefix() + server + "/" + DAY.format(t) + "/" + time,
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
