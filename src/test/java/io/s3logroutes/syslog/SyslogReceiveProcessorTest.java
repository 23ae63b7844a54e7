package io.s3logroutes.syslog;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SyslogReceiveProcessorTest {

    static String datagram(String s) {
        return new String(SyslogReceiveProcessor.datagram(s.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void oneTrailingLineEndOrNulIsRemovedFromADatagram() {
        assertThat(datagram("<13>x")).isEqualTo("<13>x");
        assertThat(datagram("<13>x\n")).isEqualTo("<13>x");
        assertThat(datagram("<13>x\r\n")).isEqualTo("<13>x");
        assertThat(datagram("<13>x\0")).isEqualTo("<13>x");
        assertThat(datagram("<13>x\n\n")).isEqualTo("<13>x\n");
        assertThat(datagram("")).isEmpty();
    }

    @Test
    void senderAddressIsTheIp() {
        assertThat(SyslogReceiveProcessor.address(new InetSocketAddress("127.0.0.1", 5140))).isEqualTo("127.0.0.1");
        assertThat(SyslogReceiveProcessor.address(InetSocketAddress.createUnresolved("host.example", 1)))
                .isEqualTo("host.example");
        assertThat(SyslogReceiveProcessor.address(null)).isEqualTo("unknown");
    }
}
