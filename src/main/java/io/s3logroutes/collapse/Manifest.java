package io.s3logroutes.collapse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * {@code {output}.manifest.json}: what an output is made of. Written after every part of the output is uploaded
 * and before the output is completed, so that a rerun after a crash knows exactly which inputs an output holds.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(int version, String period, String listPrefix, String outputKey, long outputSize, boolean gzip,
                       String storageClass, String createdAt, List<Input> inputs) {

    public record Input(String key, long size, String etag) {
    }

    /** This manifest with its content kind set ({@code true}: gzip). */
    public Manifest withGzip(boolean g) {
        return new Manifest(version, period, listPrefix, outputKey, outputSize, g, storageClass, createdAt, inputs);
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Manifest parse(String key, byte[] json) {
        try {
            Manifest m = JSON.readValue(json, Manifest.class);
            if (m.inputs() == null || m.outputKey() == null) {
                throw new IOException("no inputs or outputKey");
            }
            return m;
        } catch (IOException e) {
            throw new CollapseException("manifest " + key + " is not a collapse manifest: " + e.getMessage(), e);
        }
    }
}
