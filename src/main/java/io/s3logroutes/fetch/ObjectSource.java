package io.s3logroutes.fetch;

import java.io.IOException;
import java.io.InputStream;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Reads listed objects with the SDK's GetObject: whole into memory (read ahead of their turn) or as a stream.
 * The SDK client directly, as the lister: the reads are driven by the listing after the checkpoint, in its order.
 */
public final class ObjectSource {

    private final S3Client s3;
    private final String bucket;

    public ObjectSource(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }

    /** The object's bytes, or null when it is larger than listed (replaced since): read it as a stream then. */
    public byte[] load(ListedObject o) throws IOException {
        ResponseInputStream<GetObjectResponse> in = s3.getObject(g -> g.bucket(bucket).key(o.key()));
        try {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, o.size() + 1));
            if (body.length > o.size()) {
                in.abort();
                return null;
            }
            return body;
        } catch (IOException | RuntimeException e) {
            in.abort();
            throw e;
        } finally {
            in.close();
        }
    }

    /** The object as a stream; closing it before its end aborts the connection instead of reading the rest. */
    public InputStream open(ListedObject o) {
        ResponseInputStream<GetObjectResponse> response = s3.getObject(g -> g.bucket(bucket).key(o.key()));
        return new java.io.FilterInputStream(response) {
            private boolean ended;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                ended |= n < 0;
                return n;
            }

            @Override
            public void close() throws IOException {
                if (!ended) {
                    response.abort();
                }
                response.close();
            }
        };
    }
}
