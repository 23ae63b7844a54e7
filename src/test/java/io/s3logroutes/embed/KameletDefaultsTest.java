package io.s3logroutes.embed;

import java.io.Reader;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each setting is described once: a kamelet parameter is an {@code s3logs.*} key of the application under its
 * camelCase name (the bean's setter records it under the key), so its default is the key's value in the shipped
 * application.properties, or, where that file sets a key for the quick start, the default that the key's row of the
 * settings table gives beside it. The defaults of the kamelets and of the application cannot drift apart.
 */
class KameletDefaultsTest {

    @Test
    @SuppressWarnings("unchecked")
    void everyKameletDefaultIsTheApplicationDefaultOfItsKey() throws Exception {
        Properties app = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("application.properties"))) {
            app.load(r);
        }
        List<String> compared = new ArrayList<>();
        for (Path f : KameletConventionsTest.files()) {
            String file = f.getFileName().toString();
            Map<String, Object> spec = (Map<String, Object>) KameletConventionsTest.load(file).get("spec");
            Map<String, Map<String, Object>> params = (Map<String, Map<String, Object>>)
                    ((Map<String, Object>) spec.get("definition")).get("properties");
            Map<String, Object> bean = ((List<Map<String, Object>>) ((Map<String, Object>) spec.get("template"))
                    .get("beans")).get(0);
            Class<?> cls = Class.forName(((String) bean.get("type")).replace("#class:", ""));
            for (var p : params.entrySet()) {
                Object dflt = p.getValue().get("default");
                String key = keyOf(cls, p.getKey());
                if (dflt == null || key == null || app.getProperty(key) == null) {
                    continue;
                }
                String shipped = app.getProperty(key).strip();
                if (!shipped.equals(String.valueOf(dflt))) {
                    // the shipped file may set a key for the quick start; the settings table then gives both
                    assertThat(settingsRow(key)).as(file + " parameter " + p.getKey() + " is " + key
                            + ": its default " + dflt + " is the application's (application.properties: " + shipped
                            + ", docs/settings.md)").contains("`" + dflt + "`").contains("`" + shipped + "` in the shipped");
                }
                compared.add(file + ":" + p.getKey());
            }
        }
        // the test compares something: the ship sink alone has over a dozen such parameters
        assertThat(compared).hasSizeGreaterThan(30);
    }

    static String settingsRow(String key) throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("docs/settings.md"))) {
            if (line.startsWith("| `" + key + "` |")) {
                return line;
            }
        }
        return "(no row for " + key + " in docs/settings.md)";
    }

    /** The s3logs.* key the bean's setter records the parameter under, or null when it has none. */
    @SuppressWarnings("unchecked")
    static String keyOf(Class<?> cls, String param) throws Exception {
        Object b = cls.getDeclaredConstructor().newInstance();
        Method setter = null;
        for (Method m : cls.getMethods()) {
            if (m.getName().equals("set" + Character.toUpperCase(param.charAt(0)) + param.substring(1))
                    && m.getParameterCount() == 1 && m.getParameterTypes()[0] == String.class) {
                setter = m;
            }
        }
        if (setter == null) {
            return null;
        }
        Field keys = FlowBean.class.getDeclaredField("keys");
        keys.setAccessible(true);
        Map<String, String> before = Map.copyOf((Map<String, String>) keys.get(b));
        try {
            setter.invoke(b, "sentinel-value");
        } catch (java.lang.reflect.InvocationTargetException e) {
            return null;
        }
        for (var e : ((Map<String, String>) keys.get(b)).entrySet()) {
            if ("sentinel-value".equals(e.getValue()) && !before.containsKey(e.getKey())) {
                return e.getKey();
            }
        }
        return null;
    }
}
