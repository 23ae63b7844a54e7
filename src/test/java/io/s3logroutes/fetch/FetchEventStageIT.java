package io.s3logroutes.fetch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.s3logroutes.event.LogEvent;
import io.s3logroutes.testing.App;
import io.s3logroutes.testing.FetchProps;
import io.s3logroutes.testing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipped route {@code fetch-s3} with steps added at its event stage, as an integration engineer adds them: the
 * application runs a copy of {@code routes/fetch-s3.camel.yaml} with the edit.
 */
class FetchEventStageIT {

    static final String MARK = "                          # the event stage: shape the chunk's events here\n";

    @TempDir
    Path dir;

    final TestS3 s3 = TestS3.shared();

    Map<String, String> withStage(String bucket, String prefix, String steps) throws Exception {
        String route = Files.readString(Path.of("routes/fetch-s3.camel.yaml"));
        assertThat(route).contains(MARK);
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("fetch-s3.camel.yaml"), route.replace(MARK, MARK + steps.indent(26)));
        Map<String, String> p = FetchProps.under(s3, bucket, dir, prefix);
        p.put("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml");
        return p;
    }

    String checkpointKey() throws Exception {
        Path f = dir.resolve("lastkey.log");
        return Files.exists(f) ? Checkpoint.parse(Files.readString(f)).key().orElse("") : "";
    }

    @Test
    void fieldsAreWrittenLinesReplacedEventsDroppedAndTheRestKeepTheirBytes() throws Exception {
        String bucket = s3.newBucket("fetch-stage");
        byte[] invalid = {'b', 'i', 'n', ' ', (byte) 0xff, (byte) 0xfe};
        byte[] body = ("keep 1\nDEBUG noise\nuser=a password=hunter2\n").getBytes(StandardCharsets.UTF_8);
        FetchObjects.put(s3.client(), bucket, "ST/2018-05-17/13.45.07-000001", body, false);
        FetchObjects.put(s3.client(), bucket, "ST/2018-05-17/13.45.08-000001", concat(invalid, "\n".getBytes()), false);
        Map<String, String> p = withStage(bucket, "ST/", """
                - setHeader:
                    name: S3LogsField.site
                    simple: "${header.S3LogsSource.substring(0, 2)}"
                - split:
                    simple: "${body}"
                    aggregationStrategy: "#eventChunk"
                    steps:
                      - filter:
                          simple: "${body[raw_event]} contains 'DEBUG'"
                          steps:
                            - stop: {}
                      - filter:
                          simple: "${body[raw_event]} contains 'password='"
                          steps:
                            - setHeader:
                                name: S3LogsField.raw_event
                                simple: "${body[raw_event].replaceAll('password=\\\\S+', 'password=***')}"
                """);
        p.put("s3logs.fetch.output-format", "json");
        try (App app = App.start(p)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> checkpointKey().equals("ST/2018-05-17/13.45.08-000001"));
        }
        List<LogEvent> back = FetchObjects.parse(Files.readAllBytes(dir.resolve("out.log")));
        assertThat(back).extracting(LogEvent::rawText).containsExactly("keep 1", "user=a password=***",
                new String(invalid, StandardCharsets.UTF_8));
        assertThat(back).allSatisfy(e -> assertThat(e.field("site")).isEqualTo("ST"));
        assertThat(back.get(2).raw()).as("an event no header replaced keeps its exact bytes").isEqualTo(invalid);
        assertThat(dir.resolve("failed.log")).doesNotExist();
    }

    @Test
    void aStopOutsideThePerEventSplitFailsThePollNamingTheKeyAndLosesNothing() throws Exception {
        String bucket = s3.newBucket("fetch-stage-stop");
        FetchObjects.put(s3.client(), bucket, "SS/2018-05-17/13.45.07-000001", "one\n".getBytes(), false);
        FetchObjects.put(s3.client(), bucket, "SS/2018-05-17/13.45.08-000001", "two DEBUG\n".getBytes(), false);
        FetchObjects.put(s3.client(), bucket, "SS/2018-05-17/13.45.09-000001", "three\n".getBytes(), false);
        Map<String, String> p = withStage(bucket, "SS/", """
                - filter:
                    simple: "${body[0][raw_event]} contains 'DEBUG'"
                    steps:
                      - stop: {}
                """);
        p.put("s3logs.fetch.checkpoint-interval", "0s");
        // the application's log (Logback writes to System.err), kept to look for the error
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = System.err;
        System.setErr(new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                err.write(b);
                log.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                err.write(b, off, len);
                log.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
        try (App app = App.start(p)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> checkpointKey().equals("SS/2018-05-17/13.45.07-000001"));
            org.apache.camel.builder.NotifyBuilder polls = new org.apache.camel.builder.NotifyBuilder(app.context())
                    .fromRoute("fetch-s3").whenDone(3).create();
            assertThat(polls.matches(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(checkpointKey()).as("never past the object whose chunk was stopped")
                    .isEqualTo("SS/2018-05-17/13.45.07-000001");
        } finally {
            System.setErr(err);
        }
        assertThat(Files.readString(dir.resolve("out.log"))).isEqualTo("one\n");
        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("when chunk 0 of SS/2018-05-17/13.45.08-000001 was due at fetchWrite");
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
