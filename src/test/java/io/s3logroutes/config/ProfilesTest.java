package io.s3logroutes.config;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import io.s3logroutes.S3LogsConfiguration;
import io.s3logroutes.event.EventCodec;
import io.s3logroutes.ship.ShipSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A profile's defaults lie beneath every explicit setting, for the code and for the routes' placeholders. */
class ProfilesTest {

    @TempDir
    Path dir;

    /** A CamelContext whose settings file holds {@code lines}, with the profile applied as the application does. */
    CamelContext context(String lines, Map<String, String> overrides) throws Exception {
        Path file = dir.resolve("application.properties");
        Files.writeString(file, lines);
        CamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation("file:" + file);
        overrides.forEach(context.getPropertiesComponent()::addOverrideProperty);
        Profiles.apply(S3LogsConfiguration.props(context), context.getPropertiesComponent());
        return context;
    }

    @Test
    void nxlogGivesTheScriptsSettingsAndExplicitSettingsWin() throws Exception {
        CamelContext context = context("""
                s3logs.ship.profile = nxlog
                s3logs.ship.gzip-suffix = .gz
                s3logs.ship.concurrency = 4
                s3logs.ship.format = json
                """, Map.of("s3logs.ship.seq-digits", "3"));
        try {
            Props props = S3LogsConfiguration.props(context);
            ShipSettings s = ShipSettings.from(props);
            assertThat(s.maxEvents()).isEqualTo(1);
            assertThat(s.gzip()).isFalse();
            assertThat(s.newline()).isFalse();
            assertThat(s.keyPattern().toString()).isEqualTo("{server}/{yyyy-MM-dd}/{HH.mm.ss}-{seq}");
            // set in the file, and with -D (an override): both win over the profile
            assertThat(s.format()).isEqualTo(EventCodec.Format.JSON);
            assertThat(s.keyPattern().seqDigits()).isEqualTo(3);
            // the routes' placeholders see the profile too
            assertThat(context.resolvePropertyPlaceholders("{{s3logs.ship.batch.max-events}}")).isEqualTo("1");
            assertThat(context.resolvePropertyPlaceholders("{{s3logs.ship.gzip}}/{{s3logs.ship.format}}"))
                    .isEqualTo("false/json");
        } finally {
            context.close();
        }
    }

    @Test
    void withoutAProfileTheCodesDefaultsHold() throws Exception {
        CamelContext context = context("s3logs.ship.profile =\n", Map.of());
        try {
            ShipSettings s = ShipSettings.from(S3LogsConfiguration.props(context));
            assertThat(s.maxEvents()).isEqualTo(100_000);
            assertThat(s.gzip()).isTrue();
            assertThat(s.newline()).isTrue();
            assertThat(s.keyPattern().seqDigits()).isEqualTo(6);
            // given to Camel too, so that check prints them and placeholders see them
            assertThat(context.resolvePropertyPlaceholders("{{s3logs.ship.batch.max-events}}")).isEqualTo("100000");
        } finally {
            context.close();
        }
    }

    @Test
    void anUnknownProfileIsNamed() {
        assertThatThrownBy(() -> Profiles.defaults(Optional.of("nxlog2")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("s3logs.ship.profile").hasMessageContaining("[nxlog]")
                .hasMessageContaining("'nxlog2'");
        assertThat(Profiles.defaults(Optional.empty())).isSameAs(Profiles.NONE);
    }

    @Test
    void withoutAProfileTheValuesAreTheCodesOwnDefaults() {
        Map<String, String> none = new java.util.HashMap<>(Profiles.NONE);
        none.put("s3logs.ship.server", "S");
        ShipSettings given = ShipSettings.from(new Props(k -> Optional.ofNullable(none.get(k))));
        ShipSettings code = ShipSettings.from(new Props(k -> Optional.ofNullable(Map.of("s3logs.ship.server", "S")
                .get(k))));
        assertThat(given).usingRecursiveComparison().ignoringFieldsOfTypes(io.s3logroutes.keys.KeyPattern.class)
                .isEqualTo(code);
        assertThat(given.keyPattern()).hasToString(code.keyPattern().toString());
        assertThat(given.keyPattern().seqDigits()).isEqualTo(code.keyPattern().seqDigits());
        // every profile sets the same keys, so that a key is never left to the code in one and not in another
        Profiles.all().values().forEach(p -> assertThat(p.keySet()).isEqualTo(Profiles.NONE.keySet()));
    }

    @Test
    void theShippedSettingsFileSetsNoKeyThatAProfileSets() throws Exception {
        Properties shipped = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("application.properties"))) {
            shipped.load(r);
        }
        assertThat(shipped).containsKey(Profiles.KEY);
        assertThat(shipped.keySet()).doesNotContainAnyElementsOf(Profiles.NONE.keySet());
        for (var profile : Profiles.all().entrySet()) {
            assertThat(profile.getValue()).as(profile.getKey()).isNotEmpty();
            assertThat(shipped.keySet()).as("keys of profile " + profile.getKey() + " in application.properties")
                    .doesNotContainAnyElementsOf(profile.getValue().keySet());
        }
    }

    @Test
    void everyKeyAProfileSetsIsADescribedSetting() {
        for (var profile : Profiles.all().values()) {
            assertThat(KeyCheck.described()).containsAll(profile.keySet());
        }
    }
}
