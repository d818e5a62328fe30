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
 * @param admin the credentials of administrative connections that must write where applications
 *     may not (the archiver filling a read-only archive whose {@code user} holds SELECT only), or
 *     {@code null}: those use {@code user} and {@code password} too
 * @param create whether a SQLite file that does not exist yet is created when the data source
 *     starts (YAML {@code create: true}); without it a missing file is an error naming the file,
 *     and a file deleted while the data source runs is never created again either way
 */
public record ShardSpec(String name, String url, String user, String password, Map<String, String> properties,
        Map<String, Object> pool, boolean readOnly, String tier, Credentials admin, boolean create) {

    public static final String HOT = "hot";
    public static final String ARCHIVE = "archive";

    /** A user and its password (either may be null). */
    public record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[" + user + (password == null ? "" : ", password " + Secrets.MASK) + "]";
        }
    }

    public ShardSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        properties = Map.copyOf(properties);
        pool = Map.copyOf(pool);
        tier = tier == null ? HOT : tier;
    }

    /** A shard whose SQLite file, if any, must already exist, and whose administrative connections use its own credentials. */
    public ShardSpec(String name, String url, String user, String password, Map<String, String> properties,
            Map<String, Object> pool, boolean readOnly, String tier) {
        this(name, url, user, password, properties, pool, readOnly, tier, null, false);
    }

    /** A shard with separate credentials for administrative writes (see {@link #admin}). */
    public ShardSpec(String name, String url, String user, String password, Map<String, String> properties,
            Map<String, Object> pool, boolean readOnly, String tier, Credentials admin) {
        this(name, url, user, password, properties, pool, readOnly, tier, admin, false);
    }

    /** A shard whose SQLite file is created at start when {@code create} (see {@link #create}). */
    public ShardSpec(String name, String url, String user, String password, Map<String, String> properties,
            Map<String, Object> pool, boolean readOnly, String tier, boolean create) {
        this(name, url, user, password, properties, pool, readOnly, tier, null, create);
    }

    /** This shard with separate credentials for administrative writes (see {@link #admin}). */
    public ShardSpec withAdmin(String adminUser, String adminPassword) {
        return new ShardSpec(name, url, user, password, properties, pool, readOnly, tier,
                new Credentials(adminUser, adminPassword), create);
    }

    /** A writable hot shard with no credentials: the common SQLite case. */
    public static ShardSpec of(String name, String url) {
        return new ShardSpec(name, url, null, null, Map.of(), Map.of(), false, HOT);
    }

    public ShardSpec withCredentials(String user, String password) {
        return new ShardSpec(name, url, user, password, properties, pool, readOnly, tier, admin, create);
    }

    public ShardSpec withPool(Map<String, Object> overrides) {
        return new ShardSpec(name, url, user, password, properties, overrides, readOnly, tier, admin, create);
    }

    public ShardSpec withProperties(Map<String, String> driverProperties) {
        return new ShardSpec(name, url, user, password, driverProperties, pool, readOnly, tier, admin, create);
    }

    public ShardSpec readOnly(boolean value) {
        return new ShardSpec(name, url, user, password, properties, pool, value, tier, admin, create);
    }

    public ShardSpec withTier(String value) {
        return new ShardSpec(name, url, user, password, properties, pool, readOnly, value, admin, create);
    }

    /** The same shard, creating its SQLite file when the data source starts if it does not exist. */
    public ShardSpec withCreate(boolean value) {
        return new ShardSpec(name, url, user, password, properties, pool, readOnly, tier, admin, value);
    }

    /** Name, URL with any password masked, and flags; never the password or driver property values. */
    @Override
    public String toString() {
        return "ShardSpec[" + name + " " + Secrets.maskUrl(url) + (user != null ? " user " + user : "")
                + (password != null ? " password " + Secrets.MASK : "") + (readOnly ? " read-only" : "") + " " + tier
                + (admin != null ? " admin " + admin.user() : "") + (create ? " create" : "") + "]";
    }
}
