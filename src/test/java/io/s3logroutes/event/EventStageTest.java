package io.s3logroutes.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.s3logroutes.observe.Metrics;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

class EventStageTest {

    private static LogEvent event(String raw, Object... kv) {
        Map<String, Object> f = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            f.put((String) kv[i], kv[i + 1]);
        }
        return LogEvent.ofText(raw, f);
    }

    @Test
    void anEventIsAReadOnlyMapWithRawEventFirst() {
        LogEvent e = event("a line", "Hostname", "h1", "SourceModuleName", "ship-file");
        assertThat(e.get("raw_event")).isEqualTo("a line");
        assertThat(e.get("Hostname")).isEqualTo("h1");
        assertThat(e.containsKey("raw_event")).isTrue();
        assertThat(e.keySet()).containsExactly("raw_event", "Hostname", "SourceModuleName");
        assertThat(e).hasSize(3);
        assertThatThrownBy(() -> e.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void fieldHeadersWriteFieldsAndReplaceTheLine() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("S3LogsField.env", "prod");
        headers.put("s3logsfield.Hostname", null);
        headers.put("S3LogsInput", "ship-file");
        headers.put("S3LogsField.", "no name: not a field");
        assertThat(EventStage.fieldHeaders(headers)).containsOnlyKeys("env", "Hostname");

        LogEvent e = event("x", "Hostname", "h1");
        LogEvent w = EventStage.withFields(e, EventStage.fieldHeaders(headers));
        assertThat(w.fields()).containsExactly(Map.entry("env", "prod"));
        assertThat(w.raw()).isEqualTo(e.raw());

        LogEvent r = EventStage.withFields(e, Map.of("raw_event", "new line"));
        assertThat(r.rawText()).isEqualTo("new line");
        assertThat(r.fields()).isEqualTo(e.fields());
    }

    @Test
    void untouchedEventsKeepTheirExactBytes() {
        byte[] invalid = {'a', (byte) 0xff, 'b'};
        LogEvent e = LogEvent.of(invalid, Map.of("k", 1));
        List<LogEvent> chunk = List.of(e);
        assertThat(EventStage.apply(chunk, Map.of("S3LogsInput", "x"))).isSameAs(chunk);
        assertThat(EventStage.apply(chunk, Map.of("S3LogsField.env", "p")).get(0).raw()).isEqualTo(invalid);
    }

    @Test
    void bodiesAnEventStandsFor() {
        assertThat(EventStage.event("text").rawText()).isEqualTo("text");
        assertThat(EventStage.event("b".getBytes(StandardCharsets.UTF_8)).rawText()).isEqualTo("b");
        LogEvent m = EventStage.event(Map.of("raw_event", "r", "a", 1));
        assertThat(m.rawText()).isEqualTo("r");
        assertThat(m.fields()).containsExactly(Map.entry("a", 1));
        assertThatThrownBy(() -> EventStage.event(Map.of("a", 1))).hasMessageContaining("raw_event");
        assertThatThrownBy(() -> EventStage.event(42)).hasMessageContaining("java.lang.Integer");
        assertThat(EventStage.chunk(List.of("a", "b"))).extracting(LogEvent::rawText).containsExactly("a", "b");
    }

    /** The recipes' idiom, in YAML: a split over the chunk, a filter with a stop, a field written per event. */
    @Test
    void aSplitWithTheEventChunkStrategyReChunksTheSurvivorsAndCountsTheDropped() throws Exception {
        AtomicLong dropped = new AtomicLong();
        Metrics metrics = new Metrics() {
            @Override
            public Count count(String name, String description, String... tags) {
                assertThat(name).isEqualTo("s3logs.events.dropped");
                assertThat(tags).containsExactly("input", "ship-file");
                return dropped::addAndGet;
            }

            @Override
            public void gauge(String n, String d, java.util.function.DoubleSupplier v, String... t) {
            }

            @Override
            public void countOf(String n, String d, java.util.function.LongSupplier t, String... tags) {
            }

            @Override
            public void lastSuccess(String flow, java.util.function.LongSupplier epochMillis) {
            }
        };
        String yaml = """
                - route:
                    id: stage
                    from:
                      uri: direct:stage
                      steps:
                        - setHeader:
                            name: S3LogsInput
                            constant: ship-file
                        - setHeader:
                            name: S3LogsField.env
                            constant: prod
                        - split:
                            simple: "${body}"
                            aggregationStrategy: "#eventChunk"
                            steps:
                              - filter:
                                  simple: "${body[raw_event]} contains 'DEBUG'"
                                  steps:
                                    - stop: {}
                              - filter:
                                  simple: "${body[Hostname]} == 'h2'"
                                  steps:
                                    - setHeader:
                                        name: S3LogsField.raw_event
                                        simple: "[h2] ${body[raw_event]}"
                        - to: mock:out
                """;
        try (CamelContext ctx = new DefaultCamelContext()) {
            ctx.getRegistry().bind(EventChunkStrategy.BEAN, new EventChunkStrategy(metrics));
            PluginHelper.getRoutesLoader(ctx).loadRoutes(ResourceHelper.fromString("stage.camel.yaml", yaml));
            ctx.start();
            ProducerTemplate t = ctx.createProducerTemplate();
            List<LogEvent> chunk = new ArrayList<>(List.of(event("one INFO", "Hostname", "h1"),
                    event("two DEBUG", "Hostname", "h1"), event("three INFO", "Hostname", "h2")));
            org.apache.camel.Exchange out = t.request("direct:stage", x -> x.getMessage().setBody(chunk));
            assertThat(out.getException()).isNull();
            @SuppressWarnings("unchecked")
            List<LogEvent> result = out.getMessage().getBody(List.class);
            assertThat(result).extracting(LogEvent::rawText).containsExactly("one INFO", "[h2] three INFO");
            assertThat(result).allSatisfy(e -> assertThat(e.get("env")).isEqualTo("prod"));
            assertThat(out.getMessage().getHeaders().keySet()).noneMatch(EventStage::isFieldHeader);
            assertThat(dropped).hasValue(1);
        }
    }

    static final String URGENT = "urgent/{server}/{yyyy-MM-dd}/{HH.mm.ss}-{seq}";

    @Test
    void aKeyPatternHeaderOnTheChunkAppliesToEveryEventAndIsNoField() throws Exception {
        List<LogEvent> chunk = List.of(event("a", "k", 1), event("b"));
        List<LogEvent> out = EventStage.apply(chunk, Map.of(EventStage.KEY_PATTERN, URGENT));
        assertThat(out).extracting(LogEvent::keyPattern).containsExactly(URGENT, URGENT);
        assertThat(out.get(0).fields()).containsExactly(Map.entry("k", 1));
        assertThat(new String(EventCodec.toJson(out.get(0)), StandardCharsets.UTF_8))
                .isEqualTo("{\"raw_event\":\"a\",\"k\":1}");
        assertThat(EventStage.apply(chunk, Map.of())).isSameAs(chunk);
        assertThat(chunk).extracting(LogEvent::keyPattern).containsOnlyNulls();
        // a field written later keeps the pattern, and so does a new Durable
        LogEvent w = EventStage.withFields(out.get(1), Map.of("env", "prod"));
        assertThat(w.keyPattern()).isEqualTo(URGENT);
        assertThat(w.withDurable(new Durable("s", () -> { })).keyPattern()).isEqualTo(URGENT);
    }

    /** The severity-split recipe's idiom: inside a split, the header sets the pattern of one event only. */
    @Test
    void theEventChunkStrategyCarriesAnEventsOwnKeyPatternAndDropsTheHeader() throws Exception {
        String yaml = """
                - route:
                    id: stage
                    from:
                      uri: direct:stage
                      steps:
                        - split:
                            simple: "${body}"
                            aggregationStrategy: "#eventChunk"
                            steps:
                              - filter:
                                  simple: "${body[SyslogSeverityValue]} <= 3"
                                  steps:
                                    - setHeader:
                                        name: S3LogsKeyPattern
                                        constant: "%s"
                        - to: mock:out
                """.formatted(URGENT);
        try (CamelContext ctx = new DefaultCamelContext()) {
            ctx.getRegistry().bind(EventChunkStrategy.BEAN, new EventChunkStrategy(new Metrics() {
                @Override
                public Count count(String name, String description, String... tags) {
                    return n -> { };
                }

                @Override
                public void gauge(String n, String d, java.util.function.DoubleSupplier v, String... t) {
                }

                @Override
                public void countOf(String n, String d, java.util.function.LongSupplier t, String... tags) {
                }

                @Override
                public void lastSuccess(String flow, java.util.function.LongSupplier epochMillis) {
                }
            }));
            PluginHelper.getRoutesLoader(ctx).loadRoutes(ResourceHelper.fromString("stage.camel.yaml", yaml));
            ctx.start();
            List<LogEvent> chunk = new ArrayList<>();
            for (int sev = 0; sev < 8; sev++) {
                chunk.add(event("sev " + sev, "SyslogSeverityValue", sev));
            }
            // a line of a file has no severity: it keeps the configured pattern
            chunk.add(event("file line", "FileName", "app.log"));
            // the first event is urgent: its header must not become the chunk's
            org.apache.camel.Exchange out = ctx.createProducerTemplate().request("direct:stage",
                    x -> x.getMessage().setBody(chunk));
            assertThat(out.getException()).isNull();
            @SuppressWarnings("unchecked")
            List<LogEvent> result = out.getMessage().getBody(List.class);
            assertThat(result).extracting(LogEvent::rawText).containsExactly("sev 0", "sev 1", "sev 2", "sev 3",
                    "sev 4", "sev 5", "sev 6", "sev 7", "file line");
            assertThat(result).extracting(LogEvent::keyPattern).containsExactly(URGENT, URGENT, URGENT, URGENT,
                    null, null, null, null, null);
            assertThat(out.getMessage().getHeaders()).doesNotContainKey(EventStage.KEY_PATTERN);
            assertThat(result.subList(0, 8))
                    .allSatisfy(e -> assertThat(e.fields()).containsOnlyKeys("SyslogSeverityValue"));
            // and so the serialize step does not give the whole chunk the first event's pattern
            assertThat(EventStage.apply(result, out.getMessage().getHeaders())).extracting(LogEvent::keyPattern)
                    .containsExactly(URGENT, URGENT, URGENT, URGENT, null, null, null, null, null);
        }
    }
}
