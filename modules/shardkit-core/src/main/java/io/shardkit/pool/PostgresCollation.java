package io.shardkit.pool;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** What a PostgreSQL shard's default collation is, for {@link ShardRegistry#binaryTextOrder(int)}. */
final class PostgresCollation {
    private PostgresCollation() {
    }

    /**
     * Whether the database's default collation orders by code point: libc C or POSIX, or the
     * builtin provider's C or C.UTF-8 (PostgreSQL 17). An ICU default (datlocprovider 'i') is
     * not, whatever datcollate says; a server without datlocprovider (before 15) counts by datcollate.
     */
    static boolean isC(Connection c) throws SQLException {
        // no statement here may fail: on a connection in a transaction a failure would abort it
        boolean hasProvider = c.getMetaData().getDatabaseMajorVersion() >= 15;
        boolean hasLocale = c.getMetaData().getDatabaseMajorVersion() >= 17;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT datcollate, "
                        + (hasProvider ? "datlocprovider::text, " : "'c', ") + (hasLocale ? "datlocale" : "NULL")
                        + " FROM pg_database WHERE datname = current_database()")) {
            if (!rs.next()) {
                return false;
            }
            String collate = rs.getString(1);
            String provider = rs.getString(2);
            String locale = rs.getString(3);
            if (provider.equals("b")) {
                return "C".equals(locale) || "C.UTF-8".equals(locale);
            }
            return provider.equals("c") && (collate.equals("C") || collate.equals("POSIX") || collate.startsWith("C."));
        }
    }
}
