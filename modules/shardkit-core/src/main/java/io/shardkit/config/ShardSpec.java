package io.shardkit.config;

import java.util.Map;
import java.util.Objects;

/**
 * One database of the map: its JDBC URL and credentials, driver properties, pool overrides,
 * whether it refuses writes, and its tier ({@code hot} or {@code archive}).
 *
 * @param pool HikariCP settings for this shard only, on top of the map's pool defaults
 * @param admin the credentials of administrative connections that must write where applications
 *     may not (the archiver filling a read-only archive whose {@code user} holds SELECT only), or
 *     {@code null}: those use {@code user} and {@code password} too
 */
public record ShardSpec(String name, String url, String user, String password, Map<String, String> properties,
        Map<String, Object> pool, boolean readOnly, String tier, Credentials admin) {

    public static final String HOT = "hot";
    public static final String ARCHIVE = "archive";

    /** A user and its password (either may be null). */
    public record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[" + user + (password == null ? "" : ", password ***") + "]";
        }
    }

    public ShardSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        properties = Map.copyOf(properties);
        pool = Map.copyOf(pool);
        tier = tier == null ? HOT : tier;
    }

    /** A shard whose administrative connections use its own credentials. */
    public ShardSpec(String name, String url, String user, String password, Map<String, String> properties,
            Map<String, Object> pool, boolean readOnly, String tier) {
        this(name, url, user, password, properties, pool, readOnly, tier, null);
    }

    /** This shard with separate credentials for administrative writes (see {@link #admin}). */
    public ShardSpec withAdmin(String adminUser, String adminPassword) {
        return new ShardSpec(name, url, user, password, properties, pool, readOnly, tier,
                new Credentials(adminUser, adminPassword));
    }

    /** A writable hot shard with no credentials: the common SQLite case. */
    public static ShardSpec of(String name, String url) {
        return new ShardSpec(name, url, null, null, Map.of(), Map.of(), false, HOT);
    }

    public ShardSpec withCredentials(String user, String password) {
        return new ShardSpec(name, url, user, password, properties, pool, readOnly, tier, admin);
    }

    public ShardSpec withPool(Map<String, Object> overrides) {
        return new ShardSpec(name, url, user, password, properties, overrides, readOnly, tier, admin);
    }

    public ShardSpec withProperties(Map<String, String> driverProperties) {
        return new ShardSpec(name, url, user, password, driverProperties, pool, readOnly, tier, admin);
    }

    public ShardSpec readOnly(boolean value) {
        return new ShardSpec(name, url, user, password, properties, pool, value, tier, admin);
    }

    public ShardSpec withTier(String value) {
        return new ShardSpec(name, url, user, password, properties, pool, readOnly, value, admin);
    }

    @Override
    public String toString() {
        return "ShardSpec[" + name + " " + url + (readOnly ? " read-only" : "") + " " + tier + "]";
    }
}
