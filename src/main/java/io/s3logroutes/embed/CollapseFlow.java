package io.s3logroutes.embed;

import java.time.Clock;

import io.s3logroutes.collapse.CollapseHook;
import io.s3logroutes.collapse.CollapseMetrics;
import io.s3logroutes.collapse.CollapseSettings;
import io.s3logroutes.collapse.CollapseStepBeans;
import io.s3logroutes.collapse.CollapseSteps;
import io.s3logroutes.collapse.RunReport;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

/**
 * The collapse flow as a bean (the local bean of the {@code s3logs-collapse-action} kamelet): the S3 connection and
 * the collapse settings come from the kamelet's parameters, and the kamelet calls the same steps as the
 * application's route template {@code s3logs-collapse} ({@link CollapseStepBeans}); each exchange is one run over
 * the default periods. The body becomes the summary lines (one per period and group) and the header
 * {@code S3LogsCollapseFailed} the number of groups that failed.
 */
public class CollapseFlow extends FlowBean implements CollapseStepBeans {

    private volatile CollapseSteps steps;

    public void setLayout(String v) {
        set("layout", "s3logs.collapse.layout", v);
    }

    public void setInputPrefix(String v) {
        set("inputPrefix", "s3logs.collapse.input-prefix", v);
    }

    public void setOutputPrefix(String v) {
        set("outputPrefix", "s3logs.collapse.output-prefix", v);
    }

    public void setAccounts(String v) {
        set("accounts", "s3logs.collapse.accounts", v);
    }

    public void setRegions(String v) {
        set("regions", "s3logs.collapse.regions", v);
    }

    public void setIncrement(String v) {
        set("increment", "s3logs.collapse.increment", v);
    }

    public void setGrace(String v) {
        set("grace", "s3logs.collapse.grace", v);
    }

    public void setLookback(String v) {
        set("lookback", "s3logs.collapse.lookback", v);
    }

    public void setPartSize(String v) {
        set("partSize", "s3logs.collapse.part-size", v);
    }

    public void setConcurrency(String v) {
        set("concurrency", "s3logs.collapse.concurrency", v);
    }

    public void setMaxSize(String v) {
        set("maxSize", "s3logs.collapse.max-size", v);
    }

    public void setOnMaxSize(String v) {
        set("onMaxSize", "s3logs.collapse.on-max-size", v);
    }

    public void setStorageClass(String v) {
        set("storageClass", "s3logs.collapse.storage-class", v);
    }

    public void setOnMix(String v) {
        set("onMix", "s3logs.collapse.on-mix", v);
    }

    @Override
    protected void startFlow() {
        CamelContext ctx = getCamelContext();
        steps = new CollapseSteps(client(), s3Settings(), CollapseSettings.from(props()), Clock.systemUTC(),
                CollapseHook.NONE, CollapseMetrics.none(), () -> ctx != null && ctx.isStopping());
    }

    @Override
    public CollapseSteps steps() {
        CollapseSteps s = steps;
        if (s == null) {
            throw new IllegalStateException("collapse is not started");
        }
        return s;
    }

    /**
     * One whole run as a plain processor (for an application's own route): the same steps in the same order as the
     * kamelet; the body becomes the summary lines and the header {@code S3LogsCollapseFailed} the groups that failed.
     */
    @Override
    public void process(Exchange exchange) {
        RunReport report = steps().run();
        exchange.getMessage().setBody(report.getLines());
        exchange.getMessage().setHeader("S3LogsCollapseFailed", report.getFailed());
    }

    @Override
    protected void stopFlow() {
        if (steps != null) {
            steps.close();
            steps = null;
        }
    }
}
