package io.shardkit.config;

import java.util.Map;
import java.util.Objects;

/**
 * One database of the map: its JDBC URL and credentials, driver properties, pool overrides,
 * whether it refuses writes, and its tier ({@code hot} or {@code archive}).
 *
 * @param pool HikariCP settings for this shard only, on top of the map's pool defaults
 */
public record ShardSpec(String name, String url, String user, String password, Map<String, String> properties,
        Map<String, Object> pool, boolean readOnly, String tier) {

    public static final String HOT = "hot";
    public static final String ARCHIVE = "archive";

    public ShardSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        properties = Map.copyOf(properties);
        pool = Map.copyOf(pool);
        tier = tier == null ? HOT : tier;
    }

    /** A writable hot shard with no credentials: the common SQLite case. */
    public static ShardSpec of(String name, String url) {
        return new ShardSpec(name, url, null, null, Map.of(), Map.of(), false, HOT);
    }

    public ShardSpec withCredentials(String user, String password) {
        return new ShardSpec(name, url, user, password, properties, pool, readOnly, tier);
    }

    public ShardSpec withPool(Map<String, Object> overrides) {
        return new ShardSpec(name, url, user, password, properties, overrides, readOnly, tier);
    }

    public ShardSpec withProperties(Map<String, String> driverProperties) {
        return new ShardSpec(name, url, user, password, driverProperties, pool, readOnly, tier);
    }

    public ShardSpec readOnly(boolean value) {
        return new ShardSpec(name, url, user, password, properties, pool, value, tier);
    }

    public ShardSpec withTier(String value) {
        return new ShardSpec(name, url, user, password, properties, pool, readOnly, value);
    }

    @Override
    public String toString() {
        return "ShardSpec[" + name + " " + url + (readOnly ? " read-only" : "") + " " + tier + "]";
    }
}
