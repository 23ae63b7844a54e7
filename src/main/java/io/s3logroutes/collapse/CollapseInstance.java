package io.s3logroutes.collapse;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.support.service.ServiceSupport;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One collapse configuration of the application: the local bean {@code collapse} of the route template
 * {@code s3logs-collapse} ({@code routes/collapse-s3.camel.yaml}), one per templated route. Its properties are the
 * template's parameters, kept as the {@code s3logs.collapse.*} keys so that {@link CollapseSettings#from} parses,
 * defaults and validates them. The application's {@link S3Client}, {@link S3Settings} and {@link CollapseMetrics}
 * are looked up in the registry by type. The steps are built when Camel starts the bean (so bad settings fail the
 * startup and the metrics exist from the start) and closed when it stops it.
 */
public class CollapseInstance extends ServiceSupport implements CollapseStepBeans, CamelContextAware {

    private final Map<String, String> keys = new LinkedHashMap<>();
    private CamelContext camelContext;
    private volatile CollapseSteps steps;

    private void set(String key, String value) {
        if (value == null || value.isBlank()) {
            keys.remove(key);
        } else {
            keys.put(key, value.trim());
        }
    }

    public void setLayout(String v) {
        set("s3logs.collapse.layout", v);
    }

    public void setInputPrefix(String v) {
        set("s3logs.collapse.input-prefix", v);
    }

    public void setOutputPrefix(String v) {
        set("s3logs.collapse.output-prefix", v);
    }

    public void setAccounts(String v) {
        set("s3logs.collapse.accounts", v);
    }

    public void setRegions(String v) {
        set("s3logs.collapse.regions", v);
    }

    public void setIncrement(String v) {
        set("s3logs.collapse.increment", v);
    }

    public void setGrace(String v) {
        set("s3logs.collapse.grace", v);
    }

    public void setLookback(String v) {
        set("s3logs.collapse.lookback", v);
    }

    public void setPartSize(String v) {
        set("s3logs.collapse.part-size", v);
    }

    public void setConcurrency(String v) {
        set("s3logs.collapse.concurrency", v);
    }

    public void setMaxSize(String v) {
        set("s3logs.collapse.max-size", v);
    }

    public void setOnMaxSize(String v) {
        set("s3logs.collapse.on-max-size", v);
    }

    public void setStorageClass(String v) {
        set("s3logs.collapse.storage-class", v);
    }

    public void setOnMix(String v) {
        set("s3logs.collapse.on-mix", v);
    }

    /** The settings of this instance (validated; the error names the {@code s3logs.collapse.*} key). */
    public CollapseSettings settings() {
        return CollapseSettings.from(new Props(k -> Optional.ofNullable(keys.get(k))));
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public CollapseSteps steps() {
        CollapseSteps s = steps;
        if (s == null) {
            synchronized (this) {
                if (steps == null) {
                    steps = newSteps();
                }
                s = steps;
            }
        }
        return s;
    }

    @Override
    protected void doStart() {
        steps();
    }

    @Override
    protected void doStop() {
        CollapseSteps s = steps;
        steps = null;
        if (s != null) {
            s.close();
        }
    }

    private CollapseSteps newSteps() {
        if (camelContext == null) {
            throw new IllegalStateException("collapse: no CamelContext set on the collapse bean");
        }
        S3Client s3 = camelContext.getRegistry().mandatoryFindSingleByType(io.s3logroutes.s3.S3Connection.class).client();
        S3Settings s3Settings = camelContext.getRegistry().mandatoryFindSingleByType(S3Settings.class);
        CollapseMetrics metrics = Optional.ofNullable(camelContext.getRegistry().findSingleByType(CollapseMetrics.class))
                .orElseGet(CollapseMetrics::none);
        CamelContext ctx = camelContext;
        return new CollapseSteps(s3, s3Settings, settings(), Clock.systemUTC(), CollapseHook.NONE, metrics,
                ctx::isStopping);
    }
}
