package io.shardkit.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * The HikariCP settings a shard map may set, map-wide under {@code pool} or per shard. Names are
 * HikariCP's own, so its documentation applies; anything else is a configuration error.
 */
public final class PoolSettings {
    private PoolSettings() {
    }

    /** Setting name → value type ({@code Integer}, {@code Long}, {@code Boolean} or {@code String}). */
    public static final Map<String, Class<?>> KNOWN;

    static {
        Map<String, Class<?>> m = new TreeMap<>();
        m.put("maximumPoolSize", Integer.class);
        m.put("minimumIdle", Integer.class);
        m.put("connectionTimeout", Long.class);
        m.put("idleTimeout", Long.class);
        m.put("maxLifetime", Long.class);
        m.put("keepaliveTime", Long.class);
        m.put("validationTimeout", Long.class);
        m.put("leakDetectionThreshold", Long.class);
        m.put("initializationFailTimeout", Long.class);
        m.put("connectionTestQuery", String.class);
        m.put("connectionInitSql", String.class);
        m.put("transactionIsolation", String.class);
        m.put("schema", String.class);
        m.put("catalog", String.class);
        m.put("registerMbeans", Boolean.class);
        KNOWN = java.util.Collections.unmodifiableMap(m);
    }

    /**
     * Converts a raw value (a YAML scalar's text or a Java value) to the setting's type.
     *
     * @throws IllegalArgumentException naming what was expected
     */
    public static Object convert(String name, Object raw) {
        Class<?> type = KNOWN.get(name);
        if (type == null) {
            throw new IllegalArgumentException("unknown pool setting '" + name + "' (known: "
                    + String.join(", ", KNOWN.keySet()) + ")");
        }
        String text = String.valueOf(raw).strip();
        try {
            if (type == Integer.class) {
                return raw instanceof Integer i ? i : Integer.valueOf(text);
            }
            if (type == Long.class) {
                return raw instanceof Long l ? l : Long.valueOf(text);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("pool setting '" + name + "' must be an integer, got '" + text + "'");
        }
        if (type == Boolean.class) {
            if (raw instanceof Boolean b) {
                return b;
            }
            if (text.equals("true") || text.equals("false")) {
                return Boolean.valueOf(text);
            }
            throw new IllegalArgumentException("pool setting '" + name + "' must be true or false, got '" + text + "'");
        }
        return text;
    }
}
