package io.s3logroutes.embed;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.s3logroutes.config.ConfigException;
import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import io.s3logroutes.s3.S3ClientFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Processor;
import org.apache.camel.support.service.ServiceSupport;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The common part of the flows as beans (the local beans of the kamelets, or beans of an application's own): the
 * camelCase parameters are kept as the {@code s3logs.*} keys of the application, so that the same settings records
 * parse, default and validate them; an error names the parameter. Each instance has its own S3 client (made from
 * the connection parameters and closed on stop) unless {@code s3Client} names a client of the registry, which is
 * then used as it is and left open.
 */
public abstract class FlowBean extends ServiceSupport implements Processor, CamelContextAware {

    private final Map<String, String> keys = new LinkedHashMap<>();
    private CamelContext camelContext;
    private Object s3ClientRef;
    private String accessKey;
    private String secretKey;
    private S3Client client;
    private boolean ownsClient;
    private S3Settings s3Settings;

    /**
     * Records a parameter under its {@code s3logs.*} key, whose last part is the parameter in kebab-case
     * ({@code maxEvents}: {@code s3logs.ship.batch.max-events}); a blank value means the default.
     */
    protected final void set(String param, String key, String value) {
        if (!param.equals(parameterOf(key))) {
            throw new IllegalArgumentException("parameter " + param + " does not match key " + key);
        }
        if (value == null || value.isBlank()) {
            keys.remove(key);
        } else {
            keys.put(key, value.trim());
        }
    }

    /** The parameters as the application's settings. */
    protected final Props props() {
        return new Props(k -> Optional.ofNullable(keys.get(k)));
    }

    // --- S3 connection ---

    public void setBucket(String v) {
        set("bucket", "s3logs.s3.bucket", v);
    }

    public void setRegion(String v) {
        set("region", "s3logs.s3.region", v);
    }

    public void setEndpoint(String v) {
        set("endpoint", "s3logs.s3.endpoint", v);
    }

    public void setPathStyle(String v) {
        set("pathStyle", "s3logs.s3.path-style", v);
    }

    public void setChecksum(String v) {
        set("checksum", "s3logs.s3.checksum", v);
    }

    public void setMaxAttempts(String v) {
        set("maxAttempts", "s3logs.s3.max-attempts", v);
    }

    public void setCallTimeout(String v) {
        set("callTimeout", "s3logs.s3.call-timeout", v);
    }

    public void setSse(String v) {
        set("sse", "s3logs.s3.sse", v);
    }

    public void setSseKmsKeyId(String v) {
        set("sseKmsKeyId", "s3logs.s3.sse-kms-key-id", v);
    }

    public void setConditionalWrites(String v) {
        set("conditionalWrites", "s3logs.s3.conditional-writes", v);
    }

    /** Static credentials; without them the AWS SDK's default chain is used. */
    public void setAccessKey(String v) {
        accessKey = blankToNull(v);
    }

    public void setSecretKey(String v) {
        secretKey = blankToNull(v);
    }

    /**
     * An {@link S3Client} to use instead of one made from the parameters: the client itself ({@code #bean:name} in
     * a kamelet resolves to it) or the name of a registry bean. The bean is not closed by this instance.
     */
    public void setS3Client(Object v) {
        s3ClientRef = v instanceof String s ? blankToNull(s) : v;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    protected final S3Client client() {
        return client;
    }

    protected final S3Settings s3Settings() {
        return s3Settings;
    }

    @Override
    protected final void doStart() throws Exception {
        try {
            s3Settings = S3Settings.from(props());
            if ((accessKey == null) != (secretKey == null)) {
                throw new ConfigException("accessKey and secretKey must be set together");
            }
            client = resolveClient();
            try {
                startFlow();
            } catch (Exception | Error e) {
                closeClient();
                throw e;
            }
        } catch (ConfigException e) {
            ConfigException named = new ConfigException(describe() + ": " + parameterNames(e.getMessage()));
            named.initCause(e);
            throw named;
        }
    }

    @Override
    protected final void doStop() throws Exception {
        try {
            stopFlow();
        } finally {
            closeClient();
        }
    }

    /** Builds the flow's objects from {@link #props()}; the S3 client is ready. */
    protected abstract void startFlow() throws Exception;

    /** Stops the flow; the S3 client is closed afterwards. */
    protected abstract void stopFlow() throws Exception;

    /** For messages: the kind of flow and its bucket. */
    protected String describe() {
        return getClass().getSimpleName() + " (bucket " + keys.getOrDefault("s3logs.s3.bucket", "unset") + ")";
    }

    private S3Client resolveClient() {
        if (s3ClientRef instanceof S3Client c) {
            ownsClient = false;
            return c;
        }
        if (s3ClientRef instanceof String name) {
            String bean = name.startsWith("#bean:") ? name.substring(6) : name;
            if (camelContext == null) {
                throw new ConfigException("s3Client '" + name + "' cannot be looked up without a CamelContext");
            }
            S3Client c = camelContext.getRegistry().lookupByNameAndType(bean, S3Client.class);
            if (c == null) {
                throw new ConfigException("s3Client: no S3Client bean named '" + bean + "' in the registry");
            }
            ownsClient = false;
            return c;
        }
        if (s3ClientRef != null) {
            throw new ConfigException("s3Client must be an S3Client or the name of one, got a "
                    + s3ClientRef.getClass().getName());
        }
        ownsClient = true;
        return S3ClientFactory.create(s3Settings, accessKey == null ? null
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)), 64);
    }

    private void closeClient() {
        if (ownsClient && client != null) {
            client.close();
        }
        client = null;
    }

    private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile("s3logs\\.[a-z0-9.-]*[a-z0-9]");

    /** Replaces the {@code s3logs.*} keys in a message by the parameters they come from. */
    static String parameterNames(String message) {
        return KEY.matcher(message).replaceAll(m -> "parameter " + parameterOf(m.group()));
    }

    /** {@code s3logs.s3.sse-kms-key-id} to {@code sseKmsKeyId}. */
    static String parameterOf(String key) {
        return org.apache.camel.util.StringHelper.dashToCamelCase(key.substring(key.lastIndexOf('.') + 1));
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }
}
