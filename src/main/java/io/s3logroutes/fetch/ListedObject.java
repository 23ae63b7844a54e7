package io.s3logroutes.fetch;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

import io.s3logroutes.keys.KeyTimes;

/** One entry of a ListObjectsV2 page. */
public record ListedObject(String key, Instant lastModified, long size, String eTag) {

    /** The time of the object: the time encoded in the key (ship's and NXLog's layouts, UTC), else LastModified. */
    public Instant time() {
        return time(ZoneOffset.UTC);
    }

    /** {@link #time()} for keys written in the local time of {@code zone} ({@link KeyTimes#timeOf(String, ZoneId)}). */
    public Instant time(ZoneId zone) {
        Optional<Instant> t = KeyTimes.timeOf(key, zone);
        return t.orElse(lastModified);
    }
}
