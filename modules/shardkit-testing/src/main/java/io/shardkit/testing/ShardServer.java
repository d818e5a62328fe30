package io.shardkit.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What the shard extensions need from a database server: make databases and name them in URLs.
 * Holds the administrative URL and credentials every server has, embedded or external.
 */
public abstract class ShardServer {

    /** Database names we create and drop: safe to quote in either dialect, within both length limits. */
    static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final String adminUrl;
    private final String user;
    private final String password;
    private final boolean external;

    ShardServer(String adminUrl, String user, String password, boolean external) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.external = external;
    }

    /** The {@link ShardSet#dialect()} of databases on this server. */
    public abstract String dialect();

    /** Makes an empty database {@code name}, dropping any database of that name first. */
    public abstract void createDatabase(String name) throws SQLException;

    /** Drops database {@code name} if it exists. */
    public abstract void dropDatabase(String name) throws SQLException;

    /** The URL of {@code database} on this server, with the server's URL options. */
    public String jdbcUrl(String database) {
        return withDatabase(adminUrl, database);
    }

    /** The URL of the administrative database (or of the server without a database). */
    public String adminUrl() {
        return adminUrl;
    }

    /** The superuser when embedded; may be null for an external server. */
    public String user() {
        return user;
    }

    /** Null when embedded (no password is needed on loopback). */
    public String password() {
        return password;
    }

    /** True when an environment variable named the server and none was started. */
    public boolean isExternal() {
        return external;
    }

    /** A connection to the administrative database. */
    public Connection openAdmin() throws SQLException {
        return DriverManager.getConnection(adminUrl, user, password);
    }

    /** Makes a server object for an external server named by environment variables. */
    interface External<T> {
        T make(String adminUrl, String user, String password);
    }

    /**
     * One server per JVM: started (or found through {@code <prefix>_URL}, {@code _USER},
     * {@code _PASSWORD}) on the first call; a failed start is remembered, so every later test class
     * fails at once with the same reason instead of trying again.
     */
    static final class Once<T extends ShardServer> {
        private T instance;
        private IllegalStateException failure;

        synchronized T get(String envPrefix, External<T> external, Supplier<T> start) {
            if (failure != null) {
                throw new IllegalStateException(failure.getMessage(), failure);
            }
            if (instance == null) {
                try {
                    instance = Machine.env(envPrefix + "_URL")
                            .map(url -> external.make(url, Machine.env(envPrefix + "_USER").orElse(null),
                                    Machine.env(envPrefix + "_PASSWORD").orElse(null)))
                            .orElseGet(start);
                } catch (IllegalStateException e) {
                    failure = e;
                    throw e;
                }
            }
            return instance;
        }
    }

    static String checkName(String name) {
        if (name == null || !DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name must match " + DATABASE_NAME + ": " + name);
        }
        return name;
    }

    /**
     * {@code url} with its database replaced by {@code database}, keeping host, port and options:
     * {@code jdbc:postgresql://h:5432/postgres?ssl=false} → {@code jdbc:postgresql://h:5432/db?ssl=false}.
     */
    static String withDatabase(String url, String database) {
        int hosts = url.indexOf("//");
        if (!url.startsWith("jdbc:") || hosts < 0) {
            throw new IllegalArgumentException("not a jdbc:<driver>://host/database URL: " + url);
        }
        int query = url.indexOf('?', hosts);
        String head = query < 0 ? url : url.substring(0, query);
        String options = query < 0 ? "" : url.substring(query);
        int slash = head.indexOf('/', hosts + 2);
        String server = slash < 0 ? head : head.substring(0, slash);
        return server + "/" + database + options;
    }
}
