package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.config.ShardSpec;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes that fail part-way (issue 11, "faults that lose data or hide it"): a failed batch leaves
 * nothing queued for the next one, a multi-shard write whose commit fails on one shard says which
 * shards committed, and the shard's own error is the one reported.
 */
class FailedWritesTest {
    @TempDir
    Path dir;
    ShardedDataSource ds;

    @BeforeEach
    void open() throws SQLException {
        // foreign keys on, so a deferred foreign key is checked at commit
        ds = FourSqliteShards.open(dir, "?foreign_keys=on",
                "CREATE TABLE notes (note_id INTEGER PRIMARY KEY, owner INTEGER, body TEXT)");
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO notes (note_id, owner, body) VALUES (1, 0, 'a'), (2, 1, 'b'), (3, 2, 'c'),"
                    + " (4, 3, 'd')");
        }
    }

    private String url(int shard) {
        return FourSqliteShards.url(dir, shard);
    }

    @AfterEach
    void close() {
        FourSqliteShards.close(ds);
    }

    /** Issue 11: after a failed batch, clearBatch() and a new batch of one entry wrote two rows and reported [1]. */
    @Test
    void i11_01_failedStatementBatchLeavesNothingQueued() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.addBatch("INSERT INTO notes (note_id, owner, body) VALUES (100, 1, 'queued on s1')");
            st.addBatch("INSERT INTO notes (note_id, owner, body) VALUES (1, 0, 'duplicate on s0')");
            assertThatThrownBy(st::executeBatch).isInstanceOf(BatchUpdateException.class)
                    .hasMessageContaining("shard s0");
            st.clearBatch();
            st.addBatch("INSERT INTO notes (note_id, owner, body) VALUES (200, 5, 'the only entry')");
            assertThat(st.executeBatch()).containsExactly(1);
        }
        assertThat(idsOn(1)).containsExactly(2L, 200L);
    }

    @Test
    void i11_02_failedPreparedBatchLeavesNothingQueued() throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO notes (note_id, owner, body) VALUES (?, ?, ?)")) {
            add(ps, 100, 1, "queued on s1");
            add(ps, 1, 0, "duplicate on s0");
            assertThatThrownBy(ps::executeBatch).isInstanceOf(BatchUpdateException.class)
                    .hasMessageContaining("shard s0");
            add(ps, 200, 5, "the only entry");
            assertThat(ps.executeBatch()).containsExactly(1);
        }
        assertThat(idsOn(1)).containsExactly(2L, 200L);
    }

    /** Issue 11: a failed routing of a later entry also drops the entries already queued for a shard. */
    @Test
    void i11_03_batchFailingOnARoutingErrorLeavesNothingQueued() throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO notes (note_id, owner, body) VALUES (?, ?, ?)")) {
            add(ps, 100, 1, "queued on s1");
            ps.setLong(1, 101);
            ps.setNull(2, Types.INTEGER);
            ps.setString(3, "no key");
            ps.addBatch();
            assertThatThrownBy(ps::executeBatch).isInstanceOf(BatchUpdateException.class);
            add(ps, 200, 5, "the only entry");
            assertThat(ps.executeBatch()).containsExactly(1);
        }
        assertThat(idsOn(1)).containsExactly(2L, 200L);
    }

    /**
     * Issue 11: a multi-shard autocommit write whose commit fails on one shard (a deferred foreign
     * key, checked at commit on SQLite) stays written on the shards that committed before; the error
     * says so, with its own SQLState, and the shards after it are rolled back.
     */
    @Test
    void i11_04_partialCommitNamesTheShardsThatCommitted() throws SQLException {
        try (Connection raw = DriverManager.getConnection(url(2)); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
            st.execute("CREATE TABLE child (pid INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)");
            st.execute("CREATE TRIGGER orphan AFTER UPDATE ON notes BEGIN INSERT INTO child (pid) VALUES (999); END");
        }
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("UPDATE notes SET body = 'x'"))
                    .isInstanceOfSatisfying(ShardException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo(ShardException.PARTIAL_COMMIT);
                        assertThat(e.shard()).isEqualTo("s2");
                        assertThat(e.getMessage()).contains("committed on s0, s1; not committed on s2, s3")
                                .contains("FOREIGN KEY");
                    });
        }
        assertThat(bodiesOn(0)).containsExactly("x");
        assertThat(bodiesOn(1)).containsExactly("x");
        assertThat(bodiesOn(2)).containsExactly("c");
        assertThat(bodiesOn(3)).containsExactly("d");
        // the connections went back to autocommit: a later write commits on its own
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("UPDATE notes SET body = 'y' WHERE owner = 3")).isEqualTo(1);
        }
        assertThat(bodiesOn(3)).containsExactly("y");
    }

    /** When the first shard's commit fails nothing is committed: the shard's own error, no partial state. */
    @Test
    void i11_05_commitFailingOnTheFirstShardCommitsNothing() throws SQLException {
        try (Connection raw = DriverManager.getConnection(url(0)); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
            st.execute("CREATE TABLE child (pid INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)");
            st.execute("CREATE TRIGGER orphan AFTER UPDATE ON notes BEGIN INSERT INTO child (pid) VALUES (999); END");
        }
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("UPDATE notes SET body = 'x'"))
                    .isInstanceOfSatisfying(ShardException.class, e -> {
                        assertThat(e.getSQLState()).isNotEqualTo(ShardException.PARTIAL_COMMIT);
                        assertThat(e.getMessage()).startsWith("shard s0: ").contains("FOREIGN KEY");
                    });
        }
        for (int i = 0; i < 4; i++) {
            assertThat(bodiesOn(i)).as("s" + i).doesNotContain("x");
        }
    }

    /**
     * Issue 12, bug 7 (its error part): a pool timeout carried no SQLState and ended in an empty
     * "[sql: ]"; it is 08001, names the shard, and the held connection is not lost.
     */
    @Test
    void i12_07_aPoolTimeoutIs08001NamingTheShard() throws SQLException {
        ShardedDataSource one = ShardedDataSource.builder()
                .shard(ShardSpec.of("s0", url(0)).withPool(Map.of("maximumPoolSize", 1, "connectionTimeout", 250)))
                .pinned("notes", "s0").build();
        try (one; Connection holder = one.getConnection(); Statement st = holder.createStatement()) {
            st.executeQuery("SELECT COUNT(*) FROM notes").close();
            try (Connection other = one.getConnection(); Statement st2 = other.createStatement()) {
                assertThatThrownBy(() -> st2.executeQuery("SELECT COUNT(*) FROM notes"))
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getSQLState()).isEqualTo("08001");
                            assertThat(e.getMessage()).startsWith("shard s0: ").doesNotContain("[sql: ]");
                        });
            }
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM notes")) {
                assertThat(rs.next()).isTrue();
            }
        }
    }

    private static void add(PreparedStatement ps, long id, long owner, String body) throws SQLException {
        ps.setLong(1, id);
        ps.setLong(2, owner);
        ps.setString(3, body);
        ps.addBatch();
    }

    private List<Long> idsOn(int shard) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection raw = DriverManager.getConnection(url(shard)); Statement st = raw.createStatement();
                ResultSet rs = st.executeQuery("SELECT note_id FROM notes ORDER BY note_id")) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private List<String> bodiesOn(int shard) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection raw = DriverManager.getConnection(url(shard)); Statement st = raw.createStatement();
                ResultSet rs = st.executeQuery("SELECT body FROM notes ORDER BY note_id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
