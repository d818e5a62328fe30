package io.shardkit.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.testing.SqliteShards;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The client matrix on Sqlite shards. */
@SqliteShards
class SqliteMatrixTest extends ClientMatrix {
    /**
     * Plain JDBC: a column without a type is valid SQLite (Hibernate's SQLiteDialect renders its
     * IDENTITY column so); shardkit's parser does not read it and refuses, naming what to do.
     */
    @Test
    void plainTypelessColumnRefused() throws Exception {
        try (Connection c = m.reference.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS sp_typeless");
            st.execute("CREATE TABLE sp_typeless (a, b INT)");
        }
        try (Connection c = m.ds.getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute("CREATE TABLE sp_typeless (a, b INT)"))
                    .satisfies(e -> Matrix.assertRefused(e, "cannot parse this statement"));
        }
    }
}
