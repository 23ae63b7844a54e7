package io.s3logroutes.collapse;

import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import io.s3logroutes.S3LogRoutesMain;
import io.s3logroutes.config.StartupException;
import org.apache.camel.main.Main;

/**
 * {@code java -jar s3-log-routes.jar collapse [--from YYYY-MM-DD[THH[:mm]]] [--to ...]}: a one-shot collapse of a
 * range of periods (both ends inclusive). The application is started as usual (same properties, same S3 connection
 * and bucket check) with no route running, and the collapse service is called directly. Prints one summary line
 * per period and group; exit status 0 when every period is collapsed or empty, 1 when any failed, 2 for bad
 * arguments or settings.
 */
public final class CollapseCommand {

    static final String USAGE = "usage: collapse [--from YYYY-MM-DD[THH[:mm]]] [--to YYYY-MM-DD[THH[:mm]]]";

    private CollapseCommand() {
    }

    record Range(LocalDateTime from, LocalDateTime to) {
    }

    /** {@code null} from/to mean the default periods. */
    static Range parse(String[] args) {
        LocalDateTime from = null;
        LocalDateTime to = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String value;
            String option;
            if (a.startsWith("--from=") || a.startsWith("--to=")) {
                option = a.substring(0, a.indexOf('='));
                value = a.substring(a.indexOf('=') + 1);
            } else if ((a.equals("--from") || a.equals("--to")) && i + 1 < args.length) {
                option = a;
                value = args[++i];
            } else {
                throw new IllegalArgumentException("unknown argument '" + a + "'");
            }
            if (option.equals("--from")) {
                from = Periods.parseArg(option, value);
            } else {
                to = Periods.parseArg(option, value);
            }
        }
        if (to != null && from == null) {
            throw new IllegalArgumentException("--to needs --from");
        }
        return new Range(from, to);
    }

    public static int run(String[] args) throws Exception {
        Range range;
        try {
            range = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("s3-log-routes collapse: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        Main main = S3LogRoutesMain.createMain();
        // the application's beans and S3 connection, but no route: this command is the only work done
        main.addOverrideProperty("camel.main.auto-startup", "false");
        // no health and metrics server: the command runs beside a running service, which holds the port
        main.addOverrideProperty("s3logs.http.enabled", "false");
        main.start();
        try {
            CollapseService service = main.getCamelContext().getRegistry()
                    .lookupByNameAndType("collapseService", CollapseService.class);
            if (service == null) {
                throw new StartupException("the collapse service is not registered");
            }
            List<GroupResult> results;
            try {
                results = range.from() == null ? service.runDefault() : service.runRange(range.from(),
                        range.to() != null ? range.to() : lastRipe(service));
            } catch (IllegalArgumentException e) {
                System.err.println("s3-log-routes collapse: " + e.getMessage());
                return 2;
            }
            return report(results, System.out);
        } finally {
            main.stop();
        }
    }

    /** The start of the latest period that may be collapsed now (for {@code --from} without {@code --to}). */
    private static LocalDateTime lastRipe(CollapseService service) {
        CollapseSettings cs = service.settings();
        List<Period> recent = Periods.defaults(cs.increment(), java.time.Instant.now(), cs.grace(), cs.grace()
                .plus(java.time.Duration.ofDays(2)));
        return recent.isEmpty() ? LocalDateTime.now(ZoneOffset.UTC) : recent.get(recent.size() - 1).start();
    }

    static int report(List<GroupResult> results, PrintStream out) {
        results.forEach(r -> out.println(r.summary()));
        long failed = results.stream().filter(r -> !r.ok()).count();
        out.println("collapse: " + results.size() + " period groups, " + failed + " failed");
        out.flush();
        return failed == 0 ? 0 : 1;
    }
}
