package io.shardkit.lexical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.RefusedException;
import io.shardkit.ShardedDataSource;
import io.shardkit.sql.SqlLexer;
import io.shardkit.testing.ShardSet;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.select.PlainSelect;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 10, cases 13 and 24 on a real server: text the parser and the database read differently,
 * and texts of several statements, are refused before anything reaches a shard. Where a refusal
 * is claimed to be needed, the test shows it: the same text on the reference database (one plain
 * database holding the same rows) answers differently from what the parse says.
 *
 * <p>Map: players split by {@code player_id mod 4} over s0..s3; 20 rows, score = 10 * id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LexicalContract {
    static final int ROWS = 20;

    ShardSet shards;
    ShardedDataSource ds;

    /** A direct connection to the reference database that runs a text of several statements. */
    abstract Connection openMultiStatementReference() throws SQLException;

    @BeforeAll
    void open(ShardSet shards) throws Exception {
        this.shards = shards;
        String yaml = shards.yamlShards() + """
                pool:
                  maximumPoolSize: 4
                tables:
                  players:
                    key: player_id
                    strategy: {type: mod, shards: [s0, s1, s2, s3]}
                defaultShard: s1
                """;
        ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @AfterAll
    void close() {
        if (ds != null) {
            ds.close();
        }
    }

    @BeforeEach
    void rows() throws SQLException {
        String create = "CREATE TABLE players (player_id BIGINT PRIMARY KEY, name VARCHAR(40), score INT)";
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                Connection r = shards.openReference(); Statement ref = r.createStatement()) {
            st.execute("DROP TABLE IF EXISTS players");
            ref.execute("DROP TABLE IF EXISTS players");
            st.execute(create);
            ref.execute(create);
            for (int id = 1; id <= ROWS; id++) {
                String insert = "INSERT INTO players (player_id, name, score) VALUES (" + id + ", 'p" + id + "', "
                        + id * 10 + ")";
                st.executeUpdate(insert);
                ref.executeUpdate(insert);
            }
        }
    }

    @AfterEach
    void noConnectionLeaked() {
        for (String s : ds.shardNames()) {
            assertThat(ds.activeConnections(s)).as("active connections of " + s).isZero();
        }
    }

    static void refused(ThrowingCallable call, String... fragments) {
        assertThatThrownBy(call)
                .isInstanceOf(RefusedException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"))
                .hasMessageContainingAll(fragments);
    }

    /** Runs a query through shardkit and returns its first column as a long. */
    long sharded(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Runs a query on the reference database directly. */
    long reference(String sql) throws SQLException {
        try (Connection c = shards.openReference(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The WHERE of a SELECT as shardkit's parser reads it. */
    static Expression parsedWhere(String sql) throws Exception {
        return ((PlainSelect) CCJSqlParserUtil.parse(sql)).getWhere();
    }

    @Test
    void case24_executeOfTwoStatementsIsRefusedAndNothingChanged() throws Exception {
        // the database runs the tail of such a text, which the parse does not see: every row changes
        try (Connection r = openMultiStatementReference(); Statement st = r.createStatement()) {
            st.executeUpdate("UPDATE players SET score = 7 WHERE player_id = 7; UPDATE players SET score = 9");
        }
        assertThat(parsedWhere("SELECT 1 FROM players WHERE player_id = 7; UPDATE players SET score = 9").toString())
                .isEqualTo("player_id = 7");
        assertThat(reference("SELECT COUNT(*) FROM players WHERE score = 9")).isEqualTo(ROWS);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            refused(() -> st.execute("SELECT 1; DELETE FROM players"), SqlLexer.SEVERAL_STATEMENTS,
                    "[sql: SELECT 1; DELETE FROM players]");
            refused(() -> st.executeQuery("SELECT * FROM players WHERE player_id = 6; DELETE FROM players"),
                    SqlLexer.SEVERAL_STATEMENTS);
            refused(() -> st.executeUpdate("UPDATE players SET score = 7 WHERE player_id = 7; UPDATE players SET score = 9"),
                    SqlLexer.SEVERAL_STATEMENTS);
        }
        assertThat(sharded("SELECT COUNT(*) FROM players")).isEqualTo(ROWS);
        assertThat(sharded("SELECT COUNT(*) FROM players WHERE score IN (7, 9)")).isZero();
    }

    @Test
    void case24_batchPreparedAndReadOnlyRefuseTwoStatements() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.addBatch("UPDATE players SET score = 1 WHERE player_id = 1");
            st.addBatch("SELECT 1; DELETE FROM players");
            assertThatThrownBy(st::executeBatch).isInstanceOf(BatchUpdateException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"))
                    .hasMessageContainingAll("batch entry 2", SqlLexer.SEVERAL_STATEMENTS);
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM players WHERE player_id = ?; DELETE FROM players")) {
                ps.setLong(1, 6);
                refused(ps::executeQuery, SqlLexer.SEVERAL_STATEMENTS);
            }
            c.setReadOnly(true);
            refused(() -> st.execute("SELECT 1; DELETE FROM players"), SqlLexer.SEVERAL_STATEMENTS);
            c.setReadOnly(false);
        }
        try (Connection c = ds.connectionTo("s2"); Statement st = c.createStatement()) {
            refused(() -> st.execute("SELECT 1; DELETE FROM players"), SqlLexer.SEVERAL_STATEMENTS);
        }
        assertThat(sharded("SELECT COUNT(*) FROM players")).isEqualTo(ROWS);
        assertThat(sharded("SELECT COUNT(*) FROM players WHERE score = 1")).isZero();
    }

    @Test
    void case24_oneStatementWithATrailingSemicolonRuns() throws Exception {
        assertThat(sharded("SELECT COUNT(*) FROM players WHERE name <> 'a;b'; -- done")).isEqualTo(ROWS);
    }
}
