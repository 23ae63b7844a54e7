package io.s3logroutes.collapse;

import java.time.Clock;

import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import software.amazon.awssdk.services.s3.S3Client;

/** The beans of the collapse flow: {@code collapseService} and the step {@code collapseRun}. */
public final class CollapseBeans {

    private CollapseBeans() {
    }

    public static void register(CamelContext context, Props props, S3Client s3, S3Settings settings) {
        CollapseService service = new CollapseService(s3, settings, CollapseSettings.from(props), Clock.systemUTC(),
                CollapseHook.NONE);
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    service.close();
                }
            }, true, true);
        } catch (Exception e) {
            service.close();
            throw new org.apache.camel.RuntimeCamelException(e);
        }
        context.getRegistry().bind("collapseService", CollapseService.class, service);
        context.getRegistry().bind("collapseRun", new CollapseRunProcessor(service,
                io.s3logroutes.observe.ObserveBeans.metrics(context)));
    }
}
