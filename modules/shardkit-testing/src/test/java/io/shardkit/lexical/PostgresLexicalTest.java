package io.shardkit.lexical;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.sql.Dialect;
import io.shardkit.sql.SqlLexer;
import io.shardkit.testing.PostgresShards;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.schema.Column;
import org.junit.jupiter.api.Test;

/** PostgreSQL's own readings: nested comments (read alike), carriage returns, pgjdbc's ?? and dollar quotes. */
@PostgresShards
class PostgresLexicalTest extends LexicalContract {
    @Override
    Connection openMultiStatementReference() throws SQLException {
        return shards.openReference();
    }

    @Test
    void case13_nestedCommentsAreReadAsPostgresqlReadsThem() throws Exception {
        // PostgreSQL nests comments and so does the parser: the WHERE is inside the comment for both
        String sql = "SELECT COUNT(*) FROM players /* a /* b */ WHERE player_id = 3 -- */";
        assertThat(parsedWhere(sql)).isNull();
        assertThat(reference(sql)).isEqualTo(ROWS);
        assertThat(sharded(sql)).isEqualTo(ROWS);
        // and where the nesting leaves the comment open, both refuse
        refused(() -> sharded("SELECT COUNT(*) FROM players /* a /* b */ WHERE player_id = 3"),
                "the way PostgreSQL does", "an unterminated block comment");
    }

    @Test
    void case13_carriageReturnEndsALineCommentOnPostgresqlAsInTheParser() throws Exception {
        String sql = "SELECT COUNT(*) FROM players WHERE player_id = 1 -- x\rOR player_id = 2";
        assertThat(parsedWhere(sql).toString()).isEqualTo("player_id = 1 OR player_id = 2");
        assertThat(reference(sql)).isEqualTo(2);
        assertThat(sharded(sql)).isEqualTo(2);
    }

    @Test
    void case13_digitSeparatorsAreANumberToPostgresqlAndANameToTheParser() throws Exception {
        String sql = "SELECT COUNT(*) FROM players WHERE score < 1_000";
        assertThat(parsedWhere(sql).toString()).isEqualTo("score < 1_000");
        assertThat(((MinorThan) parsedWhere(sql)).getRightExpression())
                .isInstanceOf(Column.class);
        assertThat(reference(sql)).isEqualTo(ROWS);
        refused(() -> sharded(sql), "a number glued to letters");
    }

    @Test
    void case13_doubledQuestionMarkIsPgjdbcsLiteralQuestionMark() throws Exception {
        // pgjdbc sends ?? as the jsonb ? operator and binds no parameter; the parser reads two parameters
        try (Connection r = shards.openReference();
                PreparedStatement ps = r.prepareStatement("SELECT CAST('{\"a\": 1}' AS jsonb) ?? 'a', ?")) {
            ps.setInt(1, 5);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getBoolean(1)).isTrue();
                assertThat(rs.getInt(2)).isEqualTo(5);
            }
        }
        refused(() -> sharded("SELECT COUNT(*) FROM players WHERE CAST('{}' AS jsonb) ?? 'a'"), "'??'");
        refused(() -> sharded("SELECT COUNT(*) FROM players WHERE CAST('{}' AS jsonb) ?| ARRAY['a']"), "'?|' or '?&'");
        // the function form is read alike (lexically; whether the analysis knows the function is its own matter)
        assertThat(SqlLexer.problem("SELECT COUNT(*) FROM players WHERE jsonb_exists(CAST('{\"a\": 1}' AS jsonb), 'a')",
                Dialect.POSTGRESQL)).isNull();
        // a connection pinned to one shard runs the operator as pgjdbc reads it
        try (Connection c = ds.connectionTo("s0");
                PreparedStatement ps = c.prepareStatement("SELECT CAST('{\"a\": 1}' AS jsonb) ?? 'a'");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(rs.getBoolean(1)).isTrue();
        }
    }

    @Test
    void case13_questionMarksInDollarQuotesAndEscapeStringsAreNoParameters() throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT $$it's ? here$$, name FROM players WHERE player_id = ?")) {
            ps.setLong(1, 3);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("it's ? here");
                assertThat(rs.getString(2)).isEqualTo("p3");
            }
        }
        // a tagged dollar quote is one string to PostgreSQL, three tokens to the parser
        try (Connection r = shards.openReference(); Statement st = r.createStatement();
                ResultSet rs = st.executeQuery("SELECT $q$ x $q$")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(" x ");
        }
        refused(() -> sharded("SELECT COUNT(*) FROM players WHERE name <> $q$ x $q$"), "tagged dollar quote");
        // E'\'' is one quote to PostgreSQL; the parser ends the string at the backslashed quote
        try (Connection r = shards.openReference(); Statement st = r.createStatement();
                ResultSet rs = st.executeQuery("SELECT E'\\''")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("'");
        }
        refused(() -> sharded("SELECT COUNT(*) FROM players WHERE name <> E'\\''"), "backslash in an E'...' string");
    }
}
