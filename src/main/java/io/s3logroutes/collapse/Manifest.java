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

    /** Writes the JSON of {@link #toJson} to {@code out}, one input at a time (the inputs may be spilled). */
    public void writeTo(java.io.OutputStream out) {
        try {
            JSON.writeValue(out, this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a manifest from {@code json}, streamed: its inputs go into {@code inputs} (which spills beyond its
     * budget), so that a manifest of a million inputs is never held whole.
     */
    static Manifest read(String key, java.io.InputStream json, InputList.Builder inputs) {
        try (com.fasterxml.jackson.core.JsonParser p = JSON.getFactory().createParser(json)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            int version = 0;
            long outputSize = 0;
            boolean gzip = false;
            boolean anyInputs = false;
            String period = null, listPrefix = null, outputKey = null, storageClass = null, createdAt = null;
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = p.getCurrentName();
                com.fasterxml.jackson.core.JsonToken t = p.nextToken();
                switch (field) {
                    case "version" -> version = p.getValueAsInt();
                    case "period" -> period = p.getValueAsString();
                    case "listPrefix" -> listPrefix = p.getValueAsString();
                    case "outputKey" -> outputKey = p.getValueAsString();
                    case "outputSize" -> outputSize = p.getValueAsLong();
                    case "gzip" -> gzip = p.getValueAsBoolean();
                    case "storageClass" -> storageClass = p.getValueAsString();
                    case "createdAt" -> createdAt = p.getValueAsString();
                    case "inputs" -> {
                        if (t != com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                            throw new IOException("inputs is not an array");
                        }
                        anyInputs = true;
                        while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                            inputs.add(JSON.readValue(p, Input.class));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (!anyInputs || outputKey == null) {
                throw new IOException("no inputs or outputKey");
            }
            return new Manifest(version, period, listPrefix, outputKey, outputSize, gzip, storageClass, createdAt,
                    inputs.build());
        } catch (IOException e) {
            throw new CollapseException("manifest " + key + " is not a collapse manifest: " + e.getMessage(), e);
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
