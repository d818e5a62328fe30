package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.config.ShardSpec;
import io.shardkit.jdbc.ShardedConnection;
import io.shardkit.strategy.Strategies;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A logical connection gives a shard connection back as soon as nothing open uses it, in
 * autocommit and after a transaction (issue 12, bug 7: it kept every shard connection until
 * {@code close()}, and an outer pool over the data source starved). Each shard's pool here has
 * two connections and a 3 s borrow timeout, so a held connection shows as a timeout.
 */
class ConnectionReleaseTest {
    @TempDir
    Path dir;
    ShardedDataSource ds;

    @BeforeEach
    void open() throws SQLException {
        ShardedDataSource.Builder b = ShardedDataSource.builder();
        for (int i = 0; i < 4; i++) {
            b.shard(ShardSpec.of("s" + i, FourSqliteShards.url(dir, i)).withCreate(true)
                    .withPool(Map.of("maximumPoolSize", 2, "connectionTimeout", 3000)));
        }
        ds = b.sharded("notes", "owner", Strategies.mod("s0", "s1", "s2", "s3")).build();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE notes (note_id INTEGER PRIMARY KEY AUTOINCREMENT, owner INTEGER, body TEXT)");
        }
    }

    @AfterEach
    void close() {
        FourSqliteShards.close(ds);
    }

    @Test
    void i12_07_manyOpenLogicalConnectionsShareTwoConnectionsPerShard() throws SQLException {
        List<Connection> open = new ArrayList<>();
        try {
            for (int n = 0; n < 6; n++) {
                Connection c = ds.getConnection();
                open.add(c);
                for (int owner = 0; owner < 4; owner++) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO notes (owner, body) VALUES (?, ?)")) {
                        ps.setInt(1, owner);
                        ps.setString(2, "c" + n);
                        ps.executeUpdate();
                    }
                    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM notes WHERE owner = ?")) {
                        ps.setInt(1, owner);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            assertThat(rs.getLong(1)).isEqualTo(n + 1);
                        }
                    }
                }
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM notes")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(4L * (n + 1));
                }
                ShardedConnection sc = c.unwrap(ShardedConnection.class);
                for (String s : ds.shardNames()) {
                    assertThat(sc.holds(s)).as("connection " + n + " holds " + s).isFalse();
                }
            }
            for (String s : ds.shardNames()) {
                assertThat(ds.activeConnections(s)).as("active on " + s).isZero();
            }
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
    }

    @Test
    void theLastWrittenShardStaysForAConnectionStateFunctionUntilTheNextStatement() throws SQLException {
        try (Connection c = ds.getConnection()) {
            ShardedConnection sc = c.unwrap(ShardedConnection.class);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO notes (owner, body) VALUES (?, 'x')")) {
                for (int i = 0; i < 3; i++) {
                    ps.setInt(1, 2);
                    ps.executeUpdate();
                }
            }
            // the insert statement is closed (as Hibernate closes it before asking for the id): s2 stays
            assertThat(sc.holds("s2")).isTrue();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT last_insert_rowid()")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(3L);
            }
            assertThat(sc.holds("s2")).isTrue();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT COUNT(*) FROM notes WHERE owner = 1")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
            assertThat(sc.holds("s2")).isFalse();
            assertThat(sc.holds("s1")).isFalse();
            try (Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.executeQuery("SELECT last_insert_rowid()"))
                        .isInstanceOf(RefusedException.class)
                        .hasMessageContaining("after another statement ran since the last write")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"));
            }
            assertThat(ds.activeConnections("s2")).isZero();
        }
    }

    @Test
    void openStatementsAndResultsKeepTheirShards() throws SQLException {
        try (Connection c = ds.getConnection(); Statement plain = c.createStatement()) {
            ShardedConnection sc = c.unwrap(ShardedConnection.class);
            plain.executeUpdate("INSERT INTO notes (owner, body) VALUES (1, 'one'), (5, 'five')");
            assertThat(sc.holds("s1")).isTrue();
            try (PreparedStatement kept = c.prepareStatement("SELECT body FROM notes WHERE owner = ? ORDER BY owner")) {
                kept.setInt(1, 3);
                kept.executeQuery().close();
                // a plain statement run elsewhere closes what it ran on s1; the prepared statement keeps s3
                plain.executeUpdate("INSERT INTO notes (owner, body) VALUES (2, 'two')");
                assertThat(sc.holds("s1")).isFalse();
                assertThat(sc.holds("s3")).isTrue();
                kept.setInt(1, 1);
                try (ResultSet open = kept.executeQuery()) {
                    try (Statement other = c.createStatement()) {
                        other.executeQuery("SELECT COUNT(*) FROM notes WHERE owner = 0").close();
                    }
                    assertThat(sc.holds("s1")).isTrue();
                    assertThat(open.next()).isTrue();
                    assertThat(open.getString(1)).isEqualTo("one");
                }
                assertThat(sc.holds("s0")).isFalse();
            }
            assertThat(sc.holds("s1") || sc.holds("s3")).isFalse();
            // the plain statement's own last execution (s2) stays readable until it runs again or closes
            assertThat(sc.holds("s2")).isTrue();
            assertThat(plain.getUpdateCount()).isEqualTo(1);
        }
    }

    @Test
    void aMergedReadKeepsWhatItReadsOnUntilItCloses() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO notes (owner, body) VALUES (0, 'a'), (1, 'b'), (2, 'c'), (3, 'd')");
            try (ResultSet rs = st.executeQuery("SELECT body FROM notes ORDER BY body")) {
                List<String> bodies = new ArrayList<>();
                try (Statement other = c.createStatement()) {
                    other.executeUpdate("INSERT INTO notes (owner, body) VALUES (4, 'e')");
                }
                while (rs.next()) {
                    bodies.add(rs.getString(1));
                }
                assertThat(bodies).containsExactly("a", "b", "c", "d");
            }
        }
    }

    @Test
    void aTransactionKeepsItsShardsUntilItEndsThenGivesThemBack() throws SQLException {
        try (Connection c = ds.getConnection()) {
            ShardedConnection sc = c.unwrap(ShardedConnection.class);
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO notes (owner, body) VALUES (1, 'in tx')");
                st.executeQuery("SELECT COUNT(*) FROM notes WHERE owner = 2").close();
            }
            assertThat(sc.holds("s1")).isTrue();
            assertThat(sc.holds("s2")).isTrue();
            c.commit();
            // a read ran after the write, so s1 is not kept for a connection-state function either
            assertThat(sc.holds("s1") || sc.holds("s2")).isFalse();
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO notes (owner, body) VALUES (5, 'in tx too')");
            }
            c.commit();
            // s1 wrote last: it stays for a connection-state function, and goes after the next statement
            assertThat(sc.holds("s1")).isTrue();
            try (Statement st = c.createStatement()) {
                st.executeQuery("SELECT COUNT(*) FROM notes WHERE owner = 3").close();
                c.rollback();
            }
            assertThat(sc.holds("s1") || sc.holds("s3")).isFalse();
            // the next transaction borrows again, with autocommit off: a rollback undoes its write
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO notes (owner, body) VALUES (1, 'rolled back')");
            }
            c.rollback();
            c.setAutoCommit(true);
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT body FROM notes WHERE owner = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("in tx");
                assertThat(rs.next()).isFalse();
            }
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM notes WHERE owner = 5")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void readOnlySurvivesAGivenBackConnection() throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setReadOnly(true);
            try (Statement st = c.createStatement()) {
                st.executeQuery("SELECT COUNT(*) FROM notes WHERE owner = 1").close();
            }
            try (Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.executeUpdate("INSERT INTO notes (owner, body) VALUES (1, 'x')"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
            }
        }
    }
}
