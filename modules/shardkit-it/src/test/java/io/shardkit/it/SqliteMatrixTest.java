package io.shardkit.it;

import io.shardkit.testing.SqliteShards;

/** The client matrix on Sqlite shards. */
@SqliteShards
class SqliteMatrixTest extends ClientMatrix {
    /**
     * Plain JDBC: a column without a type is valid SQLite (Hibernate's SQLiteDialect renders its
     * IDENTITY column so); shardkit's parser does not read it and refuses, naming what to do.
     */
    @org.junit.jupiter.api.Test
    void plainTypelessColumnRefused() throws Exception {
        try (java.sql.Connection c = m.reference.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS sp_typeless");
            st.execute("CREATE TABLE sp_typeless (a, b INT)");
        }
        try (java.sql.Connection c = m.ds.getConnection(); java.sql.Statement st = c.createStatement()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> st.execute("CREATE TABLE sp_typeless (a, b INT)"))
                    .satisfies(e -> Matrix.assertRefused(e, "cannot parse this statement"));
        }
    }
}
