package io.s3logroutes.collapse;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.s3logroutes.config.ConfigException;
import io.s3logroutes.config.Props;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.StorageClass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CollapseSettingsTest {

    static CollapseSettings of(String... kv) {
        Map<String, String> m = LogData.map(kv);
        return CollapseSettings.from(new Props(k -> Optional.ofNullable(m.get(k))));
    }

    @Test
    void defaults() {
        CollapseSettings s = of();
        assertThat(s.layout()).isEqualTo(CollapseSettings.LayoutKind.S3_ACCESS);
        assertThat(s.increment()).isEqualTo(Increment.DAY);
        assertThat(s.partSize()).isEqualTo(8L << 20);
        assertThat(s.maxSize()).isEqualTo(2L << 30);
        assertThat(s.onMaxSize()).isEqualTo(CollapseSettings.OnMaxSize.SPLIT);
        assertThat(s.concurrency()).isEqualTo(32);
        assertThat(s.storageClass()).isEmpty();
        assertThat(s.accounts()).containsExactly("*");
        assertThat(s.outputPrefix()).isEqualTo(s.inputPrefix()).isEmpty();
        assertThat(s.onMix()).isEqualTo(CollapseSettings.OnMix.FAIL);
        assertThat(s.outputLimit()).isEqualTo(2L << 30);
    }

    @Test
    void maxSizeZeroIsS3sLimitAndOnMixIsFailOrSplit() {
        CollapseSettings unlimited = of("s3logs.collapse.max-size", "0");
        assertThat(unlimited.maxSize()).isZero();
        assertThat(unlimited.outputLimit()).isEqualTo(5L << 40);
        // with parts that grow as needed, max-size is no longer bound to 10,000 parts of part-size
        assertThat(of("s3logs.collapse.max-size", "5TiB", "s3logs.collapse.part-size", "5MiB").outputLimit()).isEqualTo(5L << 40);
        assertThatThrownBy(() -> of("s3logs.collapse.max-size", "6TiB")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("s3logs.collapse.max-size must be between 1 byte and 5TiB").hasMessageContaining("or 0");
        assertThat(of("s3logs.collapse.on-mix", "split").onMix()).isEqualTo(CollapseSettings.OnMix.SPLIT);
        assertThatThrownBy(() -> of("s3logs.collapse.on-mix", "merge")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("s3logs.collapse.on-mix");
    }

    @Test
    void monthAndYearInputsAndOutputsOfTheLayoutsWithoutListing() {
        Period month = Period.containing(Increment.MONTH, LocalDateTime.parse("2014-12-31T23:59"));
        Period year = Period.containing(Increment.YEAR, LocalDateTime.parse("2014-12-31T23:59"));
        CollapseSettings access = of("s3logs.collapse.input-prefix", "logs/s3/", "s3logs.collapse.increment", "m");
        assertThat(new Layouts(access, null, "b").groups(month)).singleElement().satisfies(g -> {
            assertThat(g.listPrefix()).isEqualTo("logs/s3/2014-12-");
            assertThat(g.outputBase()).isEqualTo("logs/s3/2014-12_collapsed");
        });
        assertThat(new Layouts(access, null, "b").groups(year)).singleElement().satisfies(g -> {
            assertThat(g.listPrefix()).isEqualTo("logs/s3/2014-");
            assertThat(g.outputBase()).isEqualTo("logs/s3/2014_collapsed");
        });
        CollapseSettings ct = of("s3logs.collapse.layout", "cloudtrail", "s3logs.collapse.accounts", "111122223333",
                "s3logs.collapse.regions", "us-east-1", "s3logs.collapse.increment", "m");
        assertThat(new Layouts(ct, null, "b").groups(month)).singleElement().satisfies(g -> {
            assertThat(g.listPrefix()).isEqualTo("AWSLogs/111122223333/CloudTrail/us-east-1/2014/12/");
            assertThat(g.outputBase()).isEqualTo(
                    "AWSLogs_collapsed/111122223333/CloudTrail/us-east-1/111122223333_CloudTrail_us-east-1_201412_collapsed");
        });
        assertThat(new Layouts(ct, null, "b").groups(year)).singleElement().satisfies(g -> {
            assertThat(g.listPrefix()).isEqualTo("AWSLogs/111122223333/CloudTrail/us-east-1/2014/");
            assertThat(g.outputBase()).isEqualTo(
                    "AWSLogs_collapsed/111122223333/CloudTrail/us-east-1/111122223333_CloudTrail_us-east-1_2014_collapsed");
        });
    }

    @Test
    void storageClassAndErrorsNameTheKey() {
        assertThat(of("s3logs.collapse.storage-class", "reduced_redundancy").storageClass()).contains(StorageClass.REDUCED_REDUNDANCY);
        assertThatThrownBy(() -> of("s3logs.collapse.storage-class", "cheap")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("s3logs.collapse.storage-class");
        assertThatThrownBy(() -> of("s3logs.collapse.part-size", "1MiB")).hasMessageContaining("s3logs.collapse.part-size");
        assertThatThrownBy(() -> of("s3logs.collapse.on-max-size", "truncate")).hasMessageContaining("s3logs.collapse.on-max-size");
        assertThatThrownBy(() -> of("s3logs.collapse.layout", "ship")).hasMessageContaining("s3logs.collapse.output-prefix");
        assertThatThrownBy(() -> of("s3logs.collapse.layout", "ship", "s3logs.collapse.input-prefix", "logs/",
                "s3logs.collapse.output-prefix", "logs/collapsed/")).hasMessageContaining("outside");
    }

    @Test
    void layoutsWithConfiguredAccountsNeedNoListing() {
        CollapseSettings s = of("s3logs.collapse.layout", "cloudtrail", "s3logs.collapse.accounts", "111122223333",
                "s3logs.collapse.regions", "us-east-1,eu-west-1", "s3logs.collapse.increment", "M");
        Period p = Period.containing(Increment.MINUTE, LocalDateTime.parse("2014-12-31T23:59"));
        List<Group> g = new Layouts(s, null, "b").groups(p);
        assertThat(g).extracting(Group::listPrefix).containsExactly(
                "AWSLogs/111122223333/CloudTrail/us-east-1/2014/12/31/111122223333_CloudTrail_us-east-1_20141231T2359",
                "AWSLogs/111122223333/CloudTrail/eu-west-1/2014/12/31/111122223333_CloudTrail_eu-west-1_20141231T2359");
        assertThat(g.get(0).outputBase()).isEqualTo(
                "AWSLogs_collapsed/111122223333/CloudTrail/us-east-1/111122223333_CloudTrail_us-east-1_201412312359_collapsed");
        CollapseSettings a = of("s3logs.collapse.input-prefix", "logs/s3/", "s3logs.collapse.output-prefix", "logs/s3-collapsed/",
                "s3logs.collapse.increment", "H");
        assertThat(new Layouts(a, null, "b").groups(Period.containing(Increment.HOUR, p.start())))
                .singleElement().satisfies(x -> {
                    assertThat(x.listPrefix()).isEqualTo("logs/s3/2014-12-31-23-");
                    assertThat(x.outputBase()).isEqualTo("logs/s3-collapsed/2014-12-31-23_collapsed");
                });
    }

    @Test
    void commandArguments() {
        assertThat(CollapseCommand.parse(new String[] {"collapse"})).isEqualTo(new CollapseCommand.Range(null, null, false));
        assertThat(CollapseCommand.parse(new String[] {"collapse", "--from=2014-12-30", "--to", "2014-12-31T05"}))
                .isEqualTo(new CollapseCommand.Range(LocalDateTime.parse("2014-12-30T00:00"), LocalDateTime.parse("2014-12-31T05:00"), false));
        assertThat(CollapseCommand.parse(new String[] {"collapse", "--dry-run", "--from", "2014-12-30"}))
                .isEqualTo(new CollapseCommand.Range(LocalDateTime.parse("2014-12-30T00:00"), null, true));
        assertThat(CollapseCommand.parse(new String[] {"collapse", "--dry-run"})).isEqualTo(new CollapseCommand.Range(null, null, true));
        assertThat(CollapseCommand.USAGE).endsWith("[--dry-run]");
        assertThat(CollapseCommand.HELP).contains("\n  --dry-run   print the plan and change nothing");
        assertThatThrownBy(() -> CollapseCommand.parse(new String[] {"collapse", "--to", "2014-12-31"}))
                .hasMessage("--to needs --from");
        assertThatThrownBy(() -> CollapseCommand.parse(new String[] {"collapse", "--since", "2014-12-31"}))
                .hasMessage("unknown argument '--since'");
    }
}
