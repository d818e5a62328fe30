package io.shardkit.config;

import java.util.Collections;
import java.util.List;
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
        KNOWN = Collections.unmodifiableMap(m);
    }

    /**
     * Converts a raw value (a YAML scalar's text or a Java value) to the setting's type, and checks
     * it against the rule HikariCP applies (a value HikariCP would refuse, or silently replace
     * by its default, is an error here, so the map says what the pool does).
     *
     * @throws IllegalArgumentException naming the setting, the rule and the value
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
                Integer v = raw instanceof Integer i ? i : Integer.valueOf(text);
                check(name, v);
                return v;
            }
            if (type == Long.class) {
                Long v = raw instanceof Long l ? l : raw instanceof Integer i ? Long.valueOf(i) : Long.valueOf(text);
                check(name, v);
                return v;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("pool setting '" + name + "' must be an integer"
                    + (type == Integer.class && text.matches("[-+]?\\d+") ? " up to " + Integer.MAX_VALUE : "") + ", got '" + shorten(text) + "'");
        }
        if (type == Boolean.class) {
            if (raw instanceof Boolean b) {
                return b;
            }
            if (text.equals("true") || text.equals("false")) {
                return Boolean.valueOf(text);
            }
            throw new IllegalArgumentException("pool setting '" + name + "' must be true or false, got '" + shorten(text) + "'");
        }
        if (name.equals("transactionIsolation") && !ISOLATION.contains(text)) {
            throw new IllegalArgumentException("pool setting 'transactionIsolation' must be one of "
                    + String.join(", ", ISOLATION) + ", got '" + shorten(text) + "'");
        }
        return text;
    }

    private static final List<String> ISOLATION = List.of("TRANSACTION_NONE",
            "TRANSACTION_READ_UNCOMMITTED", "TRANSACTION_READ_COMMITTED", "TRANSACTION_REPEATABLE_READ",
            "TRANSACTION_SERIALIZABLE");

    /** HikariCP's rules for each number (HikariConfig's setters and validateNumerics). */
    private static void check(String name, long v) {
        String rule = switch (name) {
            case "maximumPoolSize" -> v >= 1 ? null : "at least 1";
            case "minimumIdle" -> v >= 0 ? null : "0 or more";
            case "idleTimeout" -> v == 0 || v >= 10_000 ? null : "0 (never) or at least 10000 ms";
            case "connectionTimeout" -> v == 0 || v >= 250 ? null : "0 (wait forever) or at least 250 ms";
            case "validationTimeout" -> v >= 250 ? null : "at least 250 ms";
            case "maxLifetime", "keepaliveTime" -> v == 0 || v >= 30_000 ? null : "0 (off) or at least 30000 ms";
            case "leakDetectionThreshold" -> v == 0 || v >= 2_000 ? null : "0 (off) or at least 2000 ms";
            default -> null;
        };
        if (rule != null) {
            throw new IllegalArgumentException("pool setting '" + name + "' must be " + rule + ", got " + v);
        }
    }

    private static String shorten(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
