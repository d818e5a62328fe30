package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.config.ShardSpec;
import io.shardkit.sql.SqlLexer;
import io.shardkit.strategy.Strategies;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.select.PlainSelect;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, cases 13 and 24 on SQLite: SQL text the parser and SQLite read differently is refused
 * before anything reaches a shard, and so is a text holding several statements, on every path.
 * Each refusal is shown to be needed: the same text on one plain SQLite database (the reference,
 * holding the same rows) does what the parse does not say.
 */
class LexicalRefusalTest {
    private static final int ROWS = 20;

    @TempDir
    Path dir;
    ShardedDataSource ds;
    Connection reference;

    @BeforeEach
    void open() throws SQLException {
        ShardedDataSource.Builder b = ShardedDataSource.builder();
        for (int i = 0; i < 4; i++) {
            b.shard(ShardSpec.of("s" + i, "jdbc:sqlite:" + dir.resolve("s" + i + ".db")).withCreate(true));
        }
        ds = b.sharded("players", "player_id", Strategies.mod("s0", "s1", "s2", "s3")).build();
        reference = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("ref.db"));
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); Statement ref = reference.createStatement()) {
            String create = "CREATE TABLE players (player_id INTEGER PRIMARY KEY, name TEXT, score INTEGER)";
            st.execute(create);
            ref.execute(create);
            for (int id = 1; id <= ROWS; id++) {
                String insert = "INSERT INTO players (player_id, name, score) VALUES (" + id + ", 'p" + id + "', " + id * 10 + ")";
                st.executeUpdate(insert);
                ref.executeUpdate(insert);
            }
        }
    }

    @AfterEach
    void close() throws SQLException {
        reference.close();
        for (String s : ds.shardNames()) {
            assertThat(ds.activeConnections(s)).as("active connections of " + s).isZero();
        }
        ds.close();
    }

    private static void refused(ThrowingCallable call, String... fragments) {
        assertThatThrownBy(call)
                .isInstanceOf(RefusedException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"))
                .hasMessageContainingAll(fragments);
    }

    private long count(String where) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM players" + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long referenceCount(String sql) throws SQLException {
        try (Statement st = reference.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void case13_nestedCommentSqlite() throws Exception {
        String sql = "SELECT COUNT(*) FROM players /* a /* b */ WHERE player_id = 3 -- */";
        // the parser nests comments: to it the WHERE is inside the comment, so every row counts
        assertThat(((PlainSelect) CCJSqlParserUtil.parse(sql)).getWhere()).isNull();
        // SQLite ends the comment at the first */ and filters
        assertThat(referenceCount(sql)).isEqualTo(1);
        refused(() -> count(" /* a /* b */ WHERE player_id = 3 -- */"), "the way SQLite does",
                "'/*' inside a block comment", "[sql: SELECT COUNT(*) FROM players /* a /* b */");
    }

    @Test
    void case13_carriageReturnInALineCommentSqlite() throws Exception {
        String where = " WHERE player_id = 1 -- x\rOR player_id = 2";
        // the parser ends the comment at the carriage return; SQLite reads on to the line feed
        assertThat(((PlainSelect) CCJSqlParserUtil.parse("SELECT COUNT(*) FROM players" + where)).getWhere())
                .hasToString("player_id = 1 OR player_id = 2");
        assertThat(referenceCount("SELECT COUNT(*) FROM players" + where)).isEqualTo(1);
        refused(() -> count(where), "a carriage return inside a -- comment");
    }

    @Test
    void case24_executeOfTwoStatementsIsRefusedAndNothingDeleted() throws Exception {
        // SQLite's driver runs the SELECT and silently drops the DELETE: acknowledged, not done
        try (Statement st = reference.createStatement()) {
            assertThat(st.execute("SELECT 1; DELETE FROM players")).isTrue();
        }
        assertThat(referenceCount("SELECT COUNT(*) FROM players")).isEqualTo(ROWS);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            refused(() -> st.execute("SELECT 1; DELETE FROM players"), SqlLexer.SEVERAL_STATEMENTS,
                    "(';' at character 9)", "[sql: SELECT 1; DELETE FROM players]");
            refused(() -> st.executeQuery("SELECT * FROM players WHERE player_id = 6; DELETE FROM players"),
                    SqlLexer.SEVERAL_STATEMENTS);
            refused(() -> st.executeLargeUpdate("DELETE FROM players WHERE player_id = 1;\n-- tail\nDELETE FROM players"),
                    SqlLexer.SEVERAL_STATEMENTS);
        }
        assertThat(count("")).isEqualTo(ROWS);
    }

    @Test
    void case24_executeUpdateOfTwoUpdatesIsRefused() throws Exception {
        String sql = "UPDATE players SET score = 7 WHERE player_id = 7; UPDATE players SET score = 9";
        // SQLite's driver runs both, and the parse sees only the first (one row, one shard)
        try (Statement st = reference.createStatement()) {
            assertThat(st.executeUpdate(sql)).isEqualTo(1 + ROWS);
        }
        assertThat(referenceCount("SELECT COUNT(*) FROM players WHERE score = 9")).isEqualTo(ROWS);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            refused(() -> st.executeUpdate(sql), SqlLexer.SEVERAL_STATEMENTS);
        }
        assertThat(count(" WHERE score IN (7, 9)")).isZero();
    }

    @Test
    void case24_trailingSemicolonAndCommentsAreOneStatement() throws Exception {
        assertThat(count(";")).isEqualTo(ROWS);
        assertThat(count(" ; -- done\n /* really */ ")).isEqualTo(ROWS);
        assertThat(count(" WHERE name <> 'a;b' /* ; */")).isEqualTo(ROWS);
    }

    @Test
    void case24_batchWithTwoStatementsInAnEntryRunsNothing() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.addBatch("UPDATE players SET score = 1 WHERE player_id = 1");
            st.addBatch("UPDATE players SET score = 1");
            st.addBatch("SELECT 1; DELETE FROM players");
            assertThatThrownBy(st::executeBatch)
                    .isInstanceOf(BatchUpdateException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"))
                    .satisfies(e -> assertThat(((BatchUpdateException) e).getUpdateCounts()).isEmpty())
                    .hasCauseInstanceOf(RefusedException.class)
                    .hasMessageContainingAll("batch entry 3", SqlLexer.SEVERAL_STATEMENTS);
            // the refused batch is gone: the next one runs only its own entries
            st.addBatch("UPDATE players SET name = 'x' WHERE player_id = 2");
            assertThat(st.executeBatch()).containsExactly(1);
        }
        assertThat(count("")).isEqualTo(ROWS);
        assertThat(count(" WHERE score = 1")).isZero();
    }

    @Test
    void case24_preparedStatementOfTwoStatementsIsRefused() throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT * FROM players WHERE player_id = ?; DELETE FROM players")) {
            ps.setLong(1, 6);
            refused(ps::executeQuery, SqlLexer.SEVERAL_STATEMENTS);
            refused(ps::execute, SqlLexer.SEVERAL_STATEMENTS);
            ps.addBatch();
            assertThatThrownBy(ps::executeBatch).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"))
                    .hasMessageContaining(SqlLexer.SEVERAL_STATEMENTS);
        }
        assertThat(count("")).isEqualTo(ROWS);
    }

    @Test
    void case24_readOnlyConnectionRefusesTwoStatements() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            c.setReadOnly(true);
            refused(() -> st.execute("SELECT 1; DELETE FROM players"), SqlLexer.SEVERAL_STATEMENTS);
        }
        assertThat(count("")).isEqualTo(ROWS);
    }

    @Test
    void case24_pinnedConnectionRefusesTwoStatementsToo() throws Exception {
        try (Connection c = ds.connectionTo("s1"); Statement st = c.createStatement()) {
            refused(() -> st.executeUpdate("UPDATE players SET score = 0 WHERE player_id = 1; UPDATE players SET score = 0"),
                    SqlLexer.SEVERAL_STATEMENTS);
            st.addBatch("UPDATE players SET score = 0");
            st.addBatch("SELECT 1; DELETE FROM players");
            assertThatThrownBy(st::executeBatch).isInstanceOf(BatchUpdateException.class)
                    .hasMessageContaining(SqlLexer.SEVERAL_STATEMENTS);
            // a pinned connection still runs what the analysis refuses for other reasons, as the database reads it
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM players /* a /* b */ WHERE player_id = 1 -- */")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
        }
        assertThat(count(" WHERE score = 0")).isZero();
        assertThat(count("")).isEqualTo(ROWS);
    }
}
