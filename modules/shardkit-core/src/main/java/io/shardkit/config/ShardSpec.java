package io.shardkit.config;

import java.util.Map;
import java.util.Objects;

/**
 * One database of the map: its JDBC URL and credentials, driver properties, pool overrides,
 * whether it refuses writes, and its tier ({@code hot} or {@code archive}).
 *
 * <p>{@link #toString()} never shows the password, nor one written into the URL (see {@link Secrets}).
 *
 * @param pool HikariCP settings for this shard only, on top of the map's pool defaults
 * @param create whether a SQLite file that does not exist yet is created when the data source
 *     starts (YAML {@code create: true}); without it a missing file is an error naming the file,
 *     and a file deleted while the data source runs is never created again either way
 */
public record ShardSpec(String name, String url, String user, String password, Map<String, String> properties,
        Map<String, Object> pool, boolean readOnly, String tier, boolean create) {

    public static final String HOT = "hot";
    public static final String ARCHIVE = "archive";

    public ShardSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        properties = Map.copyOf(properties);
        pool = Map.copyOf(pool);
        tier = tier == null ? HOT : tier;
    }

    /** A shard whose SQLite file, if any, must already exist. */
    public ShardSpec(String name, String url, String user, String password, Map<String, String> properties,
            Map<String, Object> pool, boolean readOnly, String tier) {
        this(name, url, user, password, properties, pool, readOnly, tier, false);
    }

    /** A writable hot shard with no credentials: the common SQLite case. */
    public static ShardSpec of(String name, String url) {
        return new ShardSpec(name, url, null, null, Map.of(), Map.of(), false, HOT);
    }

    public ShardSpec withCredentials(String user, String password) {
        return new ShardSpec(name, url, user, password, properties, pool, readOnly, tier, create);
    }

    public ShardSpec withPool(Map<String, Object> overrides) {
        return new ShardSpec(name, url, user, password, properties, overrides, readOnly, tier, create);
    }

    public ShardSpec withProperties(Map<String, String> driverProperties) {
        return new ShardSpec(name, url, user, password, driverProperties, pool, readOnly, tier, create);
    }

    public ShardSpec readOnly(boolean value) {
        return new ShardSpec(name, url, user, password, properties, pool, value, tier, create);
    }

    public ShardSpec withTier(String value) {
        return new ShardSpec(name, url, user, password, properties, pool, readOnly, value, create);
    }

    /** The same shard, creating its SQLite file when the data source starts if it does not exist. */
    public ShardSpec withCreate(boolean value) {
        return new ShardSpec(name, url, user, password, properties, pool, readOnly, tier, value);
    }

    /** Name, URL with any password masked, and flags; never the password or driver property values. */
    @Override
    public String toString() {
        return "ShardSpec[" + name + " " + Secrets.maskUrl(url) + (user != null ? " user " + user : "")
                + (password != null ? " password " + Secrets.MASK : "") + (readOnly ? " read-only" : "") + " " + tier
                + (create ? " create" : "") + "]";
    }
}
