package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, bug 6: savepoints were refused before the first statement had chosen a shard (jOOQ's
 * nested transaction() as the first work), and a metadata call that had borrowed s0 put Spring's
 * PROPAGATION_NESTED savepoint on s0 while the write went to s2. A savepoint is now shardkit's
 * own, bound to every shard the transaction holds or reaches later.
 */
class SavepointTest {
    @TempDir
    Path dir;
    ShardedDataSource ds;

    @BeforeEach
    void open() throws SQLException {
        ds = FourSqliteShards.open(dir, "",
                "CREATE TABLE notes (note_id INTEGER PRIMARY KEY, owner INTEGER, body TEXT)");
    }

    @AfterEach
    void close() {
        FourSqliteShards.close(ds);
    }

    @Test
    void i12_06_savepointBeforeTheFirstStatement() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            Savepoint sp = c.setSavepoint();
            st.executeUpdate("INSERT INTO notes (note_id, owner, body) VALUES (1, 2, 'undone')");
            c.rollback(sp);
            st.executeUpdate("INSERT INTO notes (note_id, owner, body) VALUES (2, 2, 'kept')");
            c.commit();
        }
        assertThat(bodies()).containsExactly("kept");
    }

    @Test
    void i12_06_metadataBeforeTheSavepointDoesNotMisplaceIt() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            c.getMetaData().getDatabaseProductName();
            c.getTransactionIsolation();
            Savepoint sp = c.setSavepoint("nested");
            st.executeUpdate("INSERT INTO notes (note_id, owner, body) VALUES (1, 2, 'undone on s2')");
            c.rollback(sp);
            c.commit();
        }
        assertThat(bodies()).isEmpty();
    }

    @Test
    void i12_06_aShardReachedAfterTheSavepointIsRolledBackToo() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM notes WHERE owner = 0")) {
                rs.next();
            }
            Savepoint sp = c.setSavepoint();
            st.executeUpdate("INSERT INTO notes (note_id, owner, body) VALUES (1, 1, 'undone on s1')");
            c.rollback(sp);
            st.executeUpdate("INSERT INTO notes (note_id, owner, body) VALUES (2, 1, 'kept on s1')");
            c.commit();
        }
        assertThat(bodies()).containsExactly("kept on s1");
    }

    @Test
    void i12_06_nestedSavepointsRollBackAndReleaseInOrder() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            Savepoint outer = c.setSavepoint("outer");
            st.executeUpdate("INSERT INTO notes (note_id, owner, body) VALUES (1, 3, 'a')");
            Savepoint inner = c.setSavepoint("inner");
            st.executeUpdate("INSERT INTO notes (note_id, owner, body) VALUES (2, 3, 'b')");
            c.rollback(inner);
            c.releaseSavepoint(outer);
            assertThatThrownBy(() -> c.rollback(inner)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("is not a savepoint of this connection's current transaction")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("3B001");
            c.commit();
            assertThatThrownBy(() -> c.rollback(outer)).isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("3B001");
            assertThat(outer.getSavepointName()).isEqualTo("outer");
        }
        assertThat(bodies()).containsExactly("a");
    }

    @Test
    void i12_06_savepointInAutocommitIsAnError() throws SQLException {
        try (Connection c = ds.getConnection()) {
            assertThatThrownBy(c::setSavepoint).isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25000");
        }
    }

    private List<String> bodies() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT body FROM notes ORDER BY note_id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
