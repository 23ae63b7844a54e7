package io.s3logroutes.quickstart;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Step {@code quickstartReport}: lists the demo bucket and logs what landed since the previous report. */
public final class QuickstartReportProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger("io.s3logroutes.quickstart");

    private final S3Client s3;
    private final String bucket;
    private final BucketReport report = new BucketReport();

    public QuickstartReportProcessor(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public void process(Exchange exchange) {
        List<BucketReport.Entry> listing = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            listing.add(new BucketReport.Entry(o.key(), o.size()));
        }
        report.update(bucket, listing).forEach(LOG::info);
    }
}
