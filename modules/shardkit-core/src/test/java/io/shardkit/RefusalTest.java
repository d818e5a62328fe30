package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.config.ShardSpec;
import io.shardkit.jdbc.ShardedConnection;
import io.shardkit.strategy.Strategies;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every refusal and routing error of the foundation, each with its SQLState and message, on four
 * SQLite shards. A refusal must happen before any SQL reaches a shard and leak no connection.
 */
class RefusalTest {
    @TempDir
    Path dir;
    ShardedDataSource ds;

    @BeforeEach
    void open() throws SQLException {
        ShardedDataSource.Builder b = ShardedDataSource.builder();
        for (int i = 0; i < 4; i++) {
            b.shard(ShardSpec.of("s" + i, "jdbc:sqlite:" + dir.resolve("s" + i + ".db")).withCreate(true));
        }
        ds = b.sharded("players", "player_id", Strategies.mod("s0", "s1", "s2", "s3"))
                .sharded("matches", "player_id", Strategies.mod("s0", "s1", "s2", "s3"))
                .sharded("guilds", "guild_id", Strategies.hash("s0", "s1", "s2", "s3"))
                .broadcast("items")
                .pinned("audit_log", "s0")
                .pinned("reports", "s1")
                .build();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE players (player_id INTEGER PRIMARY KEY, name TEXT, score INTEGER)");
            st.execute("CREATE TABLE matches (match_id INTEGER, player_id INTEGER, name TEXT, points INTEGER)");
            st.execute("CREATE TABLE guilds (guild_id INTEGER PRIMARY KEY, name TEXT)");
            st.execute("CREATE TABLE items (item_id INTEGER PRIMARY KEY, name TEXT)");
            st.execute("CREATE TABLE audit_log (id INTEGER PRIMARY KEY, msg TEXT)");
            st.execute("CREATE TABLE reports (id INTEGER PRIMARY KEY, body TEXT)");
            st.executeUpdate("INSERT INTO players (player_id, name, score) VALUES (1, 'a', 10), (2, 'b', 20)");
        }
    }

    @AfterEach
    void close() {
        for (String s : ds.shardNames()) {
            assertThat(ds.activeConnections(s)).as("active connections of " + s).isZero();
        }
        ds.close();
    }

    /** Runs sql as a query on a fresh connection. */
    private ThrowingCallable query(String sql) {
        return () -> {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                rs.next();
            }
        };
    }

    private ThrowingCallable update(String sql) {
        return () -> {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate(sql);
            }
        };
    }

    private void refused(ThrowingCallable call, String... fragments) {
        assertThatThrownBy(call)
                .isInstanceOf(SQLFeatureNotSupportedException.class)
                .isInstanceOf(RefusedException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"))
                .hasMessageContainingAll(fragments);
    }

    private void error(ThrowingCallable call, String sqlState, String... fragments) {
        assertThatThrownBy(call)
                .isInstanceOf(ShardException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(sqlState))
                .hasMessageContainingAll(fragments);
    }

    @Test
    void whatCannotBeMergedExactlyIsRefusedNamingTheConstruct() {
        refused(query("SELECT name, ROW_NUMBER() OVER (ORDER BY score) FROM players"), "window function ROW_NUMBER",
                "4 shards [s0, s1, s2, s3]", "add a shard key predicate", "[sql: SELECT name, ROW_NUMBER()");
        refused(query("SELECT name FROM players UNION SELECT name FROM players"), "set operations (UNION");
        refused(query("SELECT GROUP_CONCAT(name) FROM players"), "aggregate GROUP_CONCAT across shards");
        refused(query("SELECT name, COUNT(*) FROM players"), "name is neither grouped nor aggregated");
        refused(query("SELECT score, COUNT(*) FROM players GROUP BY score HAVING COUNT(*) > (SELECT 1)"),
                "the expression (SELECT 1) over aggregates across shards");
        refused(query("WITH t AS (SELECT 1 AS x) SELECT x FROM t, players"), "WITH");
    }

    @Test
    void theMergeableConstructsAreAnsweredAcrossShards() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*), MAX(score) - MIN(score) FROM players")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(2);
            assertThat(rs.getLong(2)).isEqualTo(10);
        }
    }

    @Test
    void theSameConstructsAreExactOnOneShard() throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*), MAX(score) FROM players WHERE player_id = ? GROUP BY name ORDER BY 1 LIMIT 5")) {
            ps.setLong(1, 2);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getInt(2)).isEqualTo(20);
            }
        }
    }

    @Test
    void joinsOfTablesThatAreNotCoLocatedAreRefused() {
        refused(query("SELECT * FROM players p JOIN guilds g ON p.player_id = g.guild_id"),
                "tables players (mod 4 over [s0, s1, s2, s3]) and guilds (hash (fnv1a64) mod 4 over [s0, s1, s2, s3])"
                        + " are not co-located");
        refused(query("SELECT * FROM players p JOIN matches m ON p.name = m.name WHERE p.player_id = 1"),
                "tables players, matches are not joined on their shard keys (players.player_id = matches.player_id)");
    }

    @Test
    void subqueriesOverShardedTablesAreRefusedEvenOnOneShard() {
        refused(query("SELECT name FROM players WHERE player_id = 1 AND score > (SELECT AVG(score) FROM players)"),
                "subquery over sharded table players (it would see only the rows of one shard)");
        refused(query("SELECT name FROM items WHERE item_id IN (SELECT player_id FROM matches)"),
                "subquery over sharded table matches");
    }

    @Test
    void writesThatCannotBeRoutedAreRefused() {
        refused(update("UPDATE players SET player_id = 5 WHERE player_id = 1"),
                "UPDATE changes the shard key players.player_id", "delete it and insert it again");
        refused(update("INSERT INTO players (player_id, name) SELECT item_id, name FROM items"),
                "INSERT ... SELECT into sharded table players is not supported");
        refused(update("INSERT INTO players VALUES (9, 'x', 1)"),
                "INSERT into sharded table players must list its columns, so that the shard key player_id can be found");
        refused(update("INSERT INTO players (player_id, name) VALUES (abs(-3), 'x')"),
                "the shard key player_id of INSERT row 1 is an expression (abs(-3))");
    }

    @Test
    void tablesOnDifferentShardsCannotBeCombined() {
        refused(query("SELECT * FROM audit_log a JOIN reports r ON a.id = r.id"),
                "joins tables that live on different shards [s0, s1]");
        refused(query("SELECT * FROM audit_log a JOIN players p ON a.id = p.player_id"),
                "combines tables pinned to s0 with sharded table players");
    }

    @Test
    void statementsThatCannotBeRoutedAreRefused() {
        refused(update("SET statement_timeout = 1000"), "the statement Set (SET statement_timeout = 1000) through"
                + " shardkit: it may change the session or the transaction of a pooled connection", "connectionTo");
        refused(query("PRAGMA table_info(players)"), "shardkit cannot parse this statement to route it",
                "pinned to one shard");
        assertThatThrownBy(() -> {
            try (Connection c = ds.getConnection(); CallableStatement call = c.prepareCall("{call f()}")) {
                call.execute();
            }
        }).isInstanceOf(SQLFeatureNotSupportedException.class).hasMessageContaining("f(");
    }

    @Test
    void aMultiShardWriteInATransactionIsRefusedBeforeAnyShardIsWritten() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            refused(() -> st.executeUpdate("UPDATE players SET score = 0"),
                    "this statement writes to shard s0 and would now write to shard s1");
            refused(() -> st.executeUpdate("INSERT INTO items (item_id, name) VALUES (1, 'x')"),
                    "a transaction may write to one shard only");
            c.rollback();
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps =
                c.prepareStatement("SELECT score FROM players WHERE player_id = ?")) {
            ps.setLong(1, 2);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(20);
            }
        }
    }

    @Test
    void badInputGetsAClearError() {
        error(update("INSERT INTO players (name) VALUES ('x')"), "42000",
                "INSERT into sharded table players does not set the shard key player_id");
        error(query("SELECT * FROM nowhere"), "42000",
                "table nowhere is not in the shard map and the map has no defaultShard");
        error(update("INSERT INTO players (player_id, name) VALUES ('abc', 'x')"), "HY000",
                "mod strategy of table players needs an integer shard key, got 'abc' (String)");
        error(() -> {
            try (Connection c = ds.getConnection(); PreparedStatement ps =
                    c.prepareStatement("INSERT INTO players (player_id, name) VALUES (?, ?)")) {
                ps.setNull(1, Types.BIGINT);
                ps.setString(2, "x");
                ps.executeUpdate();
            }
        }, "42000", "INSERT into players: row 1 has no value for the shard key (NULL or unbound)");
    }

    @Test
    void readOnlyShardsRefuseWritesBeforeTheyReachThem() throws SQLException {
        try (ShardedDataSource withArchive = ShardedDataSource.builder()
                .shard(ShardSpec.of("hot", "jdbc:sqlite:" + dir.resolve("hot.db")).withCreate(true))
                .shard(ShardSpec.of("archive", "jdbc:sqlite:" + dir.resolve("archive.db")).readOnly(true)
                        .withTier(ShardSpec.ARCHIVE))
                .sharded("old_players", "player_id", Strategies.mod("archive"))
                .build();
                Connection c = withArchive.getConnection(); Statement st = c.createStatement()) {
            error(() -> st.executeUpdate("CREATE TABLE old_players (player_id INTEGER PRIMARY KEY)"), "25006",
                    "shard archive is read-only: DDL refused before it reached the shard");
            error(() -> st.executeUpdate("INSERT INTO old_players (player_id) VALUES (1)"), "25006",
                    "shard archive is read-only: INSERT refused before it reached the shard");
            assertThat(c.unwrap(ShardedConnection.class).holds("archive"))
                    .as("no connection to the archive was even borrowed").isFalse();
        }
    }

    @Test
    void aChooserNamingAnUnknownShardFailsClearly() throws SQLException {
        IdChooser broken = (table, key) -> Candidates.of("s9", "broken");
        ShardChooser place = (table, key) -> new ShardChoice("s0", "always s0");
        class Both implements ShardChooser, IdChooser {
            @Override
            public ShardChoice chooseShard(String table, Object key) throws ShardException {
                return place.chooseShard(table, key);
            }

            @Override
            public Candidates candidates(String table, Object key) throws ShardException {
                return broken.candidates(table, key);
            }
        }
        try (ShardedDataSource bad = ShardedDataSource.builder()
                .shard(ShardSpec.of("s0", "jdbc:sqlite:" + dir.resolve("x0.db")).withCreate(true))
                .sharded("players", "player_id", Strategies.custom(new Both(), List.of("s0")))
                .build()) {
            assertThatThrownBy(() -> bad.explain("SELECT * FROM players WHERE player_id = 1"))
                    .isInstanceOf(ShardException.class)
                    .hasMessage("IdChooser of players returned unknown shard 's9' (known: s0)");
            assertThat(bad.explain("INSERT INTO players (player_id) VALUES (1)").shards()).containsExactly("s0");
        }
    }

    @Test
    void explainRefusesWhatExecutionRefuses() {
        refused(() -> ds.explain("SELECT name, RANK() OVER (ORDER BY score) FROM players"), "window function RANK");
    }
}
