package io.shardkit.testing;

import java.sql.SQLException;
import java.util.regex.Pattern;

/** What the shard extensions need from a database server: make databases and name them in URLs. */
interface ShardServer {

    /** Database names we create and drop: safe to quote in either dialect, within both length limits. */
    Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    /** The {@link ShardSet#dialect()} of databases on this server. */
    String dialect();

    String jdbcUrl(String database);

    String user();

    String password();

    void createDatabase(String name) throws SQLException;

    void dropDatabase(String name) throws SQLException;

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
