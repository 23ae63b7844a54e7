package io.s3logroutes.collapse;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.function.Supplier;

import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * {@code java -jar s3-log-routes.jar collapse [--from YYYY[-MM[-DD[THH[:mm]]]]] [--to ...] [--dry-run]}: a one-shot collapse of a
 * range of periods (both ends inclusive) with the {@code s3logs.collapse.*} settings. The application is started
 * as usual (same properties, same S3 connection and bucket check, built by the given {@code Main} factory) with no
 * route running, and the same steps as the route are called directly. Prints one summary line per period and
 * group; exit status 0 when every period is collapsed or empty, 1 when any failed, 2 for bad arguments or settings.
 * With {@code --dry-run} it prints the plan of each period group instead ({@link DryRun}) and changes nothing.
 */
public final class CollapseCommand {

    static final String USAGE = "usage: collapse [--from YYYY[-MM[-DD[THH[:mm]]]]] [--to YYYY[-MM[-DD[THH[:mm]]]]] [--dry-run]";

    /** {@code collapse --help}, after {@link #USAGE}. */
    static final String HELP = """
            Collapses the periods from --from to --to (both inclusive) once, with the s3logs.collapse.*
            settings, and exits: 0 when every period is collapsed or empty, 1 when any failed, 2 for bad
            arguments or settings. Without --from: the periods a scheduled run would take; --from without
            --to: up to the latest ended period. Period formats follow s3logs.collapse.increment
            (Y: 2014, m: 2014-12, d: 2014-12-31, H: 2014-12-31T23, M: 2014-12-31T23:59).
              --dry-run   print the plan and change nothing: per period and group the inputs it would
                          take (count and bytes) and the output key, what it would resume or refuse (a
                          gzip/plain mix), and a total line; no object is written, uploaded or deleted.
                          Exit status 0, or 1 when a group cannot be listed.
            See docs/collapse.md.""";

    private final Supplier<Main> mainFactory;

    /** @param mainFactory builds the application's {@code Main} the way the jar runs it */
    public CollapseCommand(Supplier<Main> mainFactory) {
        this.mainFactory = mainFactory;
    }

    record Range(LocalDateTime from, LocalDateTime to, boolean dryRun) {
    }

    /** {@code null} from/to mean the default periods. */
    static Range parse(String[] args) {
        LocalDateTime from = null;
        LocalDateTime to = null;
        boolean dryRun = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--dry-run")) {
                dryRun = true;
                continue;
            }
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
        return new Range(from, to, dryRun);
    }

    public int run(String[] args) throws Exception {
        if (args.length > 1 && (args[1].equals("--help") || args[1].equals("-h"))) {
            System.out.println(USAGE);
            System.out.println(HELP);
            return 0;
        }
        Range range;
        try {
            range = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("s3-log-routes collapse: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        Main main = mainFactory.get();
        // the application's beans and S3 connection, but no route: this command is the only work done
        main.addOverrideProperty("camel.main.auto-startup", "false");
        // no health and metrics server: the command runs beside a running service, which holds the port
        main.addOverrideProperty("s3logs.http.enabled", "false");
        // nor route files: the YAML of every flow (and the components its endpoints make: netty, Quartz) would only
        // lengthen the start of a command that calls the collapse steps itself
        main.addOverrideProperty("camel.main.routes-collector-enabled", "false");
        main.start();
        try (CollapseService service = service(main.getCamelContext())) {
            try {
                LocalDateTime to = range.from() == null ? null
                        : range.to() != null ? range.to() : lastRipe(service.settings());
                if (range.dryRun()) {
                    return dryRunReport(range.from() == null ? service.dryRunDefault()
                            : service.dryRunRange(range.from(), to), System.out);
                }
                return report(range.from() == null ? service.runDefault() : service.runRange(range.from(), to),
                        System.out);
            } catch (IllegalArgumentException e) {
                System.err.println("s3-log-routes collapse: " + e.getMessage());
                return 2;
            }
        } finally {
            main.stop();
        }
    }

    /** The collapse steps of the {@code s3logs.collapse.*} settings on the application's S3 client (by type). */
    private static CollapseService service(CamelContext context) {
        Props props = new Props(k -> context.getPropertiesComponent().resolveProperty(k));
        return new CollapseService(context.getRegistry().mandatoryFindSingleByType(io.s3logroutes.s3.S3Connection.class).client(),
                context.getRegistry().mandatoryFindSingleByType(S3Settings.class), CollapseSettings.from(props),
                Clock.systemUTC(), CollapseHook.NONE);
    }

    /** The start of the latest period that may be collapsed now (for {@code --from} without {@code --to}). */
    private static LocalDateTime lastRipe(CollapseSettings cs) {
        return Periods.lastRipe(cs.increment(), Instant.now(), cs.grace()).start();
    }

    /** Prints the dry run's lines (see {@link DryRun}); its exit status. */
    static int dryRunReport(List<DryRun.Entry> entries, PrintStream out) {
        DryRun.lines(entries).forEach(out::println);
        out.flush();
        return DryRun.exitStatus(entries);
    }

    static int report(List<GroupResult> results, PrintStream out) {
        results.forEach(r -> out.println(r.summary()));
        long failed = results.stream().filter(r -> !r.ok()).count();
        out.println("collapse: " + results.size() + " period groups, " + failed + " failed");
        out.flush();
        return failed == 0 ? 0 : 1;
    }
}
