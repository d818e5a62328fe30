package io.shardkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.config.ShardSpec;
import io.shardkit.ShardException;
import io.shardkit.ShardedDataSource;
import io.shardkit.strategy.Strategies;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a merged read holds and gives back, on eight SQLite shards: a deep OFFSET is skipped
 * without holding it, a satisfied LIMIT or an early close returns every borrowed connection,
 * and a shard failing fails the query naming the shard and leaks nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScatterResourcesTest {
    static final int SHARDS = 8;
    static final int PER_SHARD = 130_000;

    ShardedDataSource ds;

    @BeforeAll
    void fill(@TempDir Path dir) throws SQLException {
        ShardedDataSource.Builder b = ShardedDataSource.builder();
        String[] names = new String[SHARDS];
        for (int i = 0; i < SHARDS; i++) {
            names[i] = "s" + i;
            b.shard(ShardSpec.of(names[i], "jdbc:sqlite:" + dir.resolve(names[i] + ".db")).withCreate(true));
        }
        ds = b.sharded("events", "id", Strategies.mod(names)).sharded("broken", "id", Strategies.mod(names)).build();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, kind INTEGER)");
            st.execute("CREATE TABLE broken (id INTEGER PRIMARY KEY, v INTEGER)");
        }
        // ids are dealt to shards by id mod 8, the way shardkit would place them, but filled directly for speed
        for (int s = 0; s < SHARDS; s++) {
            try (Connection c = ds.connectionTo("s" + s); Statement st = c.createStatement()) {
                st.executeUpdate("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < " + (PER_SHARD - 1)
                        + ") INSERT INTO events (id, kind) SELECT i * " + SHARDS + " + " + s + ", i % 7 FROM n");
            }
        }
        // one shard's copy of "broken" lacks the column v: queries on it fail on that shard only
        try (Connection c = ds.connectionTo("s5"); Statement st = c.createStatement()) {
            st.execute("DROP TABLE broken");
            st.execute("CREATE TABLE broken (id INTEGER PRIMARY KEY)");
        }
    }

    @AfterAll
    void close() {
        ds.close();
    }

    private void assertNoConnectionBorrowed() {
        for (String s : ds.shardNames()) {
            assertThat(ds.activeConnections(s)).as("active connections of " + s).isZero();
        }
    }

    @Test
    void aDeepOffsetIsSkippedWithoutHoldingIt() throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, kind FROM events ORDER BY id LIMIT ? OFFSET ?")) {
            ps.setInt(1, 10);
            ps.setInt(2, 1_000_000);
            try (ResultSet rs = ps.executeQuery()) {
                for (long expected = 1_000_000; expected < 1_000_010; expected++) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(expected);
                    assertThat(rs.getInt("kind")).isEqualTo((int) ((expected / SHARDS) % 7));
                }
                assertThat(rs.next()).isFalse();
            }
            long held = ps.unwrap(ShardedStatement.class).lastMergeHeldRows();
            assertThat(held).as("rows held by the merge: one per shard, not the offset").isLessThanOrEqualTo(SHARDS);
        }
        assertNoConnectionBorrowed();
    }

    @Test
    void aSatisfiedLimitReturnsTheBorrowedConnectionsBeforeTheResultIsClosed() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT id FROM events ORDER BY kind DESC, id LIMIT 3");
            int busy = 0;
            for (String s : ds.shardNames()) {
                busy += ds.activeConnections(s);
            }
            assertThat(busy).as("one borrowed connection per shard while rows stream").isEqualTo(SHARDS);
            int n = 0;
            while (rs.next()) {
                n++;
            }
            assertThat(n).isEqualTo(3);
            assertNoConnectionBorrowed();
            rs.close();
        }
    }

    @Test
    void closingAMergedResultEarlyReturnsEverything() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT id FROM events ORDER BY id");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isZero();
            rs.close();
            assertNoConnectionBorrowed();
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void aFailingShardFailsTheQueryNamingItAndLeaksNothing() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELECT id, v FROM broken ORDER BY id LIMIT 5"))
                    .isInstanceOf(ShardException.class)
                    .hasMessageStartingWith("shard s5: ")
                    .hasMessageContaining("no such column: v");
            assertNoConnectionBorrowed();
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM events")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo((long) SHARDS * PER_SHARD);
            }
        }
        assertNoConnectionBorrowed();
    }

    @Test
    void aggregatesOverEveryShardAreExact() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT kind, COUNT(*), MIN(id), MAX(id), SUM(id) FROM events GROUP BY kind ORDER BY kind")) {
            long total = 0;
            for (int kind = 0; kind < 7; kind++) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(kind);
                total += rs.getLong(2);
            }
            assertThat(rs.next()).isFalse();
            assertThat(total).isEqualTo((long) SHARDS * PER_SHARD);
        }
    }
}
