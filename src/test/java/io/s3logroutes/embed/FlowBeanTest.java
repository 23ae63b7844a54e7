package io.s3logroutes.embed;

import io.s3logroutes.config.ConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A bad or missing parameter stops the start with a message that names the parameter, not the key behind it. */
class FlowBeanTest {

    @Test
    void missingBucketNamesTheParameter() {
        ShipFlow ship = new ShipFlow();
        ship.setSpoolDir("target/unused-spool");
        assertThatThrownBy(ship::start).isInstanceOf(ConfigException.class)
                .hasMessageContaining("parameter bucket is required");
    }

    @Test
    void badValueNamesTheParameterAndTheValue() {
        FetchFlow fetch = new FetchFlow();
        fetch.setBucket("b");
        fetch.setRegion("us-east-1");
        fetch.setAccessKey("a");
        fetch.setSecretKey("s");
        fetch.setSettle("soon");
        assertThatThrownBy(fetch::start).isInstanceOf(ConfigException.class)
                .hasMessageContaining("parameter settle must be a duration").hasMessageContaining("'soon'");
    }

    @Test
    void sseKmsKeyIdIsNotMistakenForSse() {
        CollapseFlow c = new CollapseFlow();
        c.setBucket("b");
        c.setSseKmsKeyId("k1");
        assertThatThrownBy(c::start).isInstanceOf(ConfigException.class)
                .hasMessageContaining("parameter sseKmsKeyId is set but parameter sse is 'none'");
    }

    @Test
    void accessKeyWithoutSecretKeyIsRefused() {
        CollapseFlow c = new CollapseFlow();
        c.setBucket("b");
        c.setAccessKey("a");
        assertThatThrownBy(c::start).hasMessageContaining("accessKey and secretKey must be set together");
        assertThat(c.isStarted()).isFalse();
    }

    @Test
    void blankMeansTheDefault() {
        ShipFlow ship = new ShipFlow();
        ship.setBucket(" ");
        ship.setSpoolDir("target/unused-spool");
        assertThatThrownBy(ship::start).hasMessageContaining("parameter bucket is required");
    }
}
