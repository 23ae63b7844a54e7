package io.s3logroutes.fetch;

import java.time.Instant;
import java.util.Optional;

import io.s3logroutes.keys.KeyTimes;

/** One entry of a ListObjectsV2 page. */
public record ListedObject(String key, Instant lastModified, long size, String eTag) {

    /** The time of the object: the time encoded in the key (ship's and NXLog's layouts), else LastModified. */
    public Instant time() {
        Optional<Instant> t = KeyTimes.timeOf(key);
        return t.orElse(lastModified);
    }
}
