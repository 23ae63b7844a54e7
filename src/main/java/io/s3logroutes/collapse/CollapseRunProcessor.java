package io.s3logroutes.collapse;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Step {@code collapseRun}: one scheduled collapse run; the body becomes the summary lines. */
public final class CollapseRunProcessor implements Processor {

    private final CollapseService service;

    public CollapseRunProcessor(CollapseService service) {
        this.service = service;
    }

    @Override
    public void process(Exchange exchange) {
        List<GroupResult> results = service.runDefault();
        exchange.getMessage().setBody(results.stream().map(GroupResult::summary).toList());
        exchange.getMessage().setHeader("S3LogsCollapseFailed", results.stream().filter(r -> !r.ok()).count());
    }
}
