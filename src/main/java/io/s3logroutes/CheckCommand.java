package io.s3logroutes;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.s3logroutes.config.KeyCheck;
import io.s3logroutes.config.Props;
import io.s3logroutes.s3.S3Connection;
import io.s3logroutes.s3.S3Errors;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The {@code check} command: loads the settings and the routes as a start does, but starts no route and no HTTP
 * server; every unknown {@code s3logs.*} key is an error naming the nearest known key, a bad value fails the load
 * with its one line, and the bucket is probed (HeadBucket at the load, then ListObjectsV2 of one key under the prefix
 * of each enabled flow; nothing is written). Prints the effective settings, secrets masked. Exit status 0 when
 * everything holds, 2 otherwise.
 */
final class CheckCommand {

    private final Supplier<Main> mainFactory;
    private final PrintStream out;

    CheckCommand(Supplier<Main> mainFactory, PrintStream out) {
        this.mainFactory = mainFactory;
        this.out = out;
    }

    int run() throws Exception {
        Main main = mainFactory.get();
        main.addOverrideProperty("camel.main.auto-startup", "false");
        main.addOverrideProperty("s3logs.http.enabled", "false");
        try {
            main.start();
        } catch (Exception e) {
            var cause = S3LogRoutesMain.startupCause(e);
            out.println("error: " + (cause != null ? cause.getMessage() : e.getMessage()));
            out.println("check: failed");
            return 2;
        }
        try {
            CamelContext context = main.getCamelContext();
            Properties loaded = context.getPropertiesComponent().loadProperties(k -> k.startsWith("s3logs."));
            List<String> errors = new ArrayList<>();
            S3LogRoutesMain.unknownKeys(loaded).forEach(u -> errors.add(u.message()));
            errors.addAll(probe(context));
            printSettings(context, loaded);
            errors.forEach(e -> out.println("error: " + e));
            out.println(errors.isEmpty() ? "check: ok" : "check: " + errors.size() + " errors");
            return errors.isEmpty() ? 0 : 2;
        } finally {
            main.stop();
        }
    }

    /** ListObjectsV2 of one key under each enabled flow's prefix; the HeadBucket of the start passed already. */
    private List<String> probe(CamelContext context) {
        Props props = S3LogsConfiguration.props(context);
        S3Connection s3 = context.getRegistry().mandatoryFindSingleByType(S3Connection.class);
        Map<String, String> prefixes = new TreeMap<>();
        if (props.bool("s3logs.ship.enabled", false)) {
            prefixes.put("ship", "");
        }
        if (props.bool("s3logs.fetch.enabled", false)) {
            prefixes.put("fetch", props.string("s3logs.fetch.prefix", ""));
        }
        if (props.bool("s3logs.collapse.enabled", false)) {
            prefixes.put("collapse", props.string("s3logs.collapse.input-prefix", ""));
        }
        List<String> errors = new ArrayList<>();
        prefixes.forEach((flow, prefix) -> {
            try {
                s3.client().listObjectsV2(b -> b.bucket(s3.settings().bucket()).prefix(prefix).maxKeys(1));
                out.println("ok: " + flow + " can list s3://" + s3.settings().bucket() + "/" + prefix);
            } catch (SdkException e) {
                errors.add(flow + " cannot list s3://" + s3.settings().bucket() + "/" + prefix + ": "
                        + (S3Errors.answer(e) != null ? S3Errors.describe(e)
                        : String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
            }
        });
        return errors;
    }

    private void printSettings(CamelContext context, Properties loaded) {
        Map<String, String> effective = new TreeMap<>();
        for (String key : KeyCheck.described()) {
            String family = KeyCheck.familyPrefix(key);
            if (family != null) {
                // the keys of a family given with -D (those of the files come with the loaded properties below)
                System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(family))
                        .forEach(k -> effective.put(k, System.getProperty(k)));
                continue;
            }
            context.getPropertiesComponent().resolveProperty(key).ifPresent(v -> effective.put(key, v));
        }
        loaded.stringPropertyNames().forEach(k -> effective.putIfAbsent(k, loaded.getProperty(k)));
        out.println("effective settings:");
        effective.forEach((k, v) -> out.println("  " + k + " = " + (secret(k) ? "****" : v)));
    }

    static boolean secret(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("secret") || k.contains("password") || k.contains("token") || k.contains("credential");
    }
}
