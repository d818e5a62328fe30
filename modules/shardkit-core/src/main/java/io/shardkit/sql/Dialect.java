package io.shardkit.sql;

/** The SQL dialect of a shard, known from its JDBC URL. */
public enum Dialect {
    SQLITE, POSTGRESQL, MYSQL, OTHER;

    public static Dialect fromUrl(String url) {
        if (url.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:")) {
            return MYSQL;
        }
        return OTHER;
    }
}
