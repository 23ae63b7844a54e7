package io.s3logroutes.cluster;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Fetch keys under ship's layout ({@code F/yyyy-MM-dd/HH.mm.ss-000001}) timed when they are written, in key order.
 * S3Proxy lists an object while its PUT is in progress under a temporary name (the key, '-', a UUID); with keys of
 * the write time and a settle of a few seconds, fetch leaves those alone as it leaves ship's young uploads.
 */
final class NowKeys {

    static final DateTimeFormatter KEY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd/HH.mm.ss").withZone(ZoneOffset.UTC);

    private Instant second = Instant.EPOCH;
    private int seq;

    String next() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        if (now.isAfter(second)) {
            second = now;
            seq = 0;
        }
        return "F/" + KEY_TIME.format(second) + "-" + String.format("%06d", ++seq);
    }
}
