package io.s3logroutes.security;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IAM policies in {@code docs/iam/} grant exactly the S3 actions that the S3 calls of each flow need, object
 * actions only under the flow's prefix, and listing only under that prefix.
 */
class IamPolicyTest {

    static final String BUCKET_ARN = "arn:aws:s3:::EXAMPLE-LOG-BUCKET";

    /** The S3 API calls each flow makes (the SDK operation names), startup bucket check included. */
    static final Map<String, List<String>> CALLS = Map.of(
            // BucketCheck.check; Uploader.put; Uploader.isSame (after a 412 or a late retry)
            "ship", List.of("HeadBucket", "PutObject", "HeadObject"),
            // BucketCheck.check; Fetcher: listObjectsV2 and getObject
            "fetch", List.of("HeadBucket", "ListObjectsV2", "GetObject"),
            // BucketCheck.check; Layouts.level and Leftovers.snapshot list; Leftovers.abortStaleUploads;
            // Concatenator reads, writes and copies parts; OutputWriter writes manifests, verifies; InputDeleter deletes
            "collapse", List.of("HeadBucket", "ListObjectsV2", "ListMultipartUploads", "AbortMultipartUpload",
                    "GetObject", "HeadObject", "PutObject", "CreateMultipartUpload", "UploadPart", "UploadPartCopy",
                    "CompleteMultipartUpload", "DeleteObjects"));

    /** The prefix each policy uses as its placeholder. */
    static final Map<String, String> PREFIX = Map.of("ship", "SERVER01/", "fetch", "SERVER01/", "collapse", "logs/");

    /** IAM actions an S3 operation needs (AWS service authorization reference for Amazon S3). */
    static final Map<String, Set<String>> ACTIONS = Map.ofEntries(
            Map.entry("HeadBucket", Set.of("s3:ListBucket")),
            Map.entry("ListObjectsV2", Set.of("s3:ListBucket")),
            Map.entry("ListMultipartUploads", Set.of("s3:ListBucketMultipartUploads")),
            Map.entry("GetObject", Set.of("s3:GetObject")),
            Map.entry("HeadObject", Set.of("s3:GetObject")),
            Map.entry("PutObject", Set.of("s3:PutObject")),
            Map.entry("CreateMultipartUpload", Set.of("s3:PutObject")),
            Map.entry("UploadPart", Set.of("s3:PutObject")),
            Map.entry("UploadPartCopy", Set.of("s3:PutObject", "s3:GetObject")),
            Map.entry("CompleteMultipartUpload", Set.of("s3:PutObject")),
            Map.entry("AbortMultipartUpload", Set.of("s3:AbortMultipartUpload")),
            Map.entry("ListParts", Set.of("s3:ListMultipartUploadParts")),
            Map.entry("DeleteObjects", Set.of("s3:DeleteObject")));

    static final Set<String> BUCKET_ACTIONS = Set.of("s3:ListBucket", "s3:ListBucketMultipartUploads");

    static JsonNode policy(String flow) throws IOException {
        return new ObjectMapper().readTree(Path.of("docs/iam", flow + ".json").toFile());
    }

    static Set<String> required(String flow) {
        Set<String> out = new TreeSet<>();
        CALLS.get(flow).forEach(op -> out.addAll(ACTIONS.get(op)));
        return out;
    }

    static List<String> texts(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else if (node != null && !node.isMissingNode()) {
            out.add(node.asText());
        }
        return out;
    }

    @Test
    void everyPolicyGrantsExactlyWhatItsFlowCalls() throws IOException {
        for (String flow : CALLS.keySet()) {
            Set<String> granted = new TreeSet<>();
            for (JsonNode st : policy(flow).get("Statement")) {
                assertThat(st.get("Effect").asText()).as(flow).isEqualTo("Allow");
                granted.addAll(texts(st.get("Action")));
            }
            assertThat(granted).as("actions of docs/iam/%s.json", flow).isEqualTo(required(flow));
        }
    }

    @Test
    void objectActionsOnlyUnderThePrefixAndListingOnlyWithAPrefixCondition() throws IOException {
        for (String flow : CALLS.keySet()) {
            String objects = BUCKET_ARN + "/" + PREFIX.get(flow) + "*";
            for (JsonNode st : policy(flow).get("Statement")) {
                List<String> actions = texts(st.get("Action"));
                List<String> resources = texts(st.get("Resource"));
                assertThat(st.has("NotAction") || st.has("NotResource")).as(flow).isFalse();
                assertThat(actions).as(flow).noneMatch(a -> a.contains("*"));
                if (actions.stream().anyMatch(BUCKET_ACTIONS::contains)) {
                    assertThat(actions).as("%s: bucket and object actions in separate statements", flow)
                            .allMatch(BUCKET_ACTIONS::contains);
                    assertThat(resources).as(flow).containsExactly(BUCKET_ARN);
                    JsonNode prefixes = st.path("Condition").path("StringLikeIfExists").path("s3:prefix");
                    assertThat(texts(prefixes)).as("%s: s3:prefix condition", flow)
                            .containsExactly(PREFIX.get(flow) + "*");
                } else {
                    assertThat(resources).as(flow).containsExactly(objects);
                }
            }
        }
    }
}
