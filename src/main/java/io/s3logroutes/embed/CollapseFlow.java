package io.s3logroutes.embed;

import java.time.Clock;

import io.s3logroutes.collapse.CollapseHook;
import io.s3logroutes.collapse.CollapseRunProcessor;
import io.s3logroutes.collapse.CollapseService;
import io.s3logroutes.collapse.CollapseSettings;
import org.apache.camel.Exchange;

/**
 * The collapse flow as one bean (the local bean of the {@code s3logs-collapse-action} kamelet): each exchange is one
 * run over the default periods, as the application's step {@code collapseRun} does; the body becomes the summary
 * lines (one per period and group) and the header {@code S3LogsCollapseFailed} the number of groups that failed.
 */
public class CollapseFlow extends FlowBean {

    private CollapseService service;
    private CollapseRunProcessor run;

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

    @Override
    protected void startFlow() {
        service = new CollapseService(client(), s3Settings(), CollapseSettings.from(props()), Clock.systemUTC(),
                CollapseHook.NONE);
        run = new CollapseRunProcessor(service);
    }

    @Override
    public void process(Exchange exchange) {
        if (!isStarted()) {
            throw new IllegalStateException("collapse is not started");
        }
        run.process(exchange);
    }

    @Override
    protected void stopFlow() {
        if (service != null) {
            service.close();
            service = null;
        }
    }
}
