package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connection-state functions ({@code last_insert_rowid()}, {@code changes()}; PostgreSQL's
 * {@code lastval()} and MySQL's {@code LAST_INSERT_ID()} work the same way) answer for the physical
 * connection that ran the connection's last write, in autocommit too, or are refused (issue 12,
 * bug 2: they went to the lowest-numbered shard the connection held, and MyBatis' {@code @SelectKey}
 * set the key to another shard's id).
 */
class ConnectionStateTest {
    @TempDir
    Path dir;
    ShardedDataSource ds;

    @BeforeEach
    void open() throws SQLException {
        ds = FourSqliteShards.open(dir, "",
                "CREATE TABLE notes (note_id INTEGER PRIMARY KEY AUTOINCREMENT, owner INTEGER, body TEXT)");
        // shard s2 already holds five notes, so its next id differs from s0's
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("s2.db"));
                Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO notes (owner, body) VALUES (2, 'a'), (6, 'b'), (10, 'c'), (14, 'd'), (18, 'e')");
        }
    }

    @AfterEach
    void close() {
        FourSqliteShards.close(ds);
    }

    @Test
    void lastInsertRowidAnswersForTheShardLastWrittenInAutocommit() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO notes (owner, body) VALUES (0, 'on s0')");
            st.executeUpdate("INSERT INTO notes (owner, body) VALUES (22, 'on s2')");
            assertThat(single(st, "SELECT last_insert_rowid()")).isEqualTo(6L);
            assertThat(single(st, "SELECT changes()")).isEqualTo(1L);
            try (ResultSet rs = st.executeQuery("SELECT note_id FROM notes WHERE owner = 22")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(6L);
            }
            st.executeUpdate("INSERT INTO notes (owner, body) VALUES (4, 'on s0 again')");
            assertThat(single(st, "SELECT last_insert_rowid()")).isEqualTo(2L);
        }
    }

    @Test
    void withoutAOneShardWriteTheyAreRefused() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> single(st, "SELECT last_insert_rowid()")).isInstanceOf(RefusedException.class)
                    .hasMessageContaining("a connection-state function on a connection that has written nothing yet");
            st.executeUpdate("UPDATE notes SET body = 'x'");
            assertThatThrownBy(() -> single(st, "SELECT changes()")).isInstanceOf(RefusedException.class)
                    .hasMessageContaining("after a write that ran on several shards");
            assertThatThrownBy(() -> st.executeQuery("SELECT body FROM notes WHERE note_id = last_insert_rowid()"))
                    .isInstanceOf(RefusedException.class)
                    .hasMessageContaining("last_insert_rowid() in a statement that names tables")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"));
        }
    }

    private static long single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    /**
     * Issue 12, bug 4: getGeneratedKeys() after executeBatch() failed with HY010. Every entry's key
     * comes back, in the caller's entry order, each the id of the row that entry wrote.
     */
    @Test
    void i12_04_batchReturnsEveryGeneratedKeyInEntryOrder() throws SQLException {
        long[] owners = {0, 2, 1, 6, 4, 10, 3};
        List<Long> keys = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO notes (owner, body) VALUES (?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
            for (long owner : owners) {
                ps.setLong(1, owner);
                ps.setString(2, "batch " + owner);
                ps.addBatch();
            }
            assertThat(ps.executeBatch()).containsOnly(1).hasSize(owners.length);
            try (ResultSet rs = ps.getGeneratedKeys()) {
                while (rs.next()) {
                    keys.add(rs.getLong(1));
                }
            }
            assertThat(keys).containsExactly(1L, 6L, 1L, 7L, 2L, 8L, 1L);
            try (Statement st = c.createStatement()) {
                for (int i = 0; i < owners.length; i++) {
                    assertThat(single(st, "SELECT note_id FROM notes WHERE owner = " + owners[i] + " AND body = 'batch "
                            + owners[i] + "'")).as("entry " + i).isEqualTo(keys.get(i));
                }
            }
            // the next plain execution answers for itself, not for the batch
            ps.setLong(1, 5);
            ps.setString(2, "alone");
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(2L);
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void i12_04_batchNotPreparedForKeysSaysSo() throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO notes (owner, body) VALUES (?, ?)")) {
            ps.setLong(1, 1);
            ps.setString(2, "x");
            ps.addBatch();
            ps.executeBatch();
            assertThatThrownBy(ps::getGeneratedKeys).isInstanceOf(SQLException.class)
                    .hasMessageContaining("not prepared to return generated keys");
        }
    }

    /**
     * A multi-row INSERT split over shards: sqlite-jdbc returns a statement's last id only, so one
     * database would answer with the id of the last row; so does shardkit (not the last part's).
     */
    @Test
    void i12_04_splitInsertOnSqliteAnswersWithTheLastRowsId() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO notes (owner, body) VALUES (2, 'a'), (1, 'd'), (6, 'c')",
                    Statement.RETURN_GENERATED_KEYS);
            try (ResultSet rs = st.getGeneratedKeys()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(7L);
                assertThat(rs.next()).isFalse();
            }
            assertThat(single(st, "SELECT note_id FROM notes WHERE owner = 6 AND body = 'c'")).isEqualTo(7L);
        }
    }
}
