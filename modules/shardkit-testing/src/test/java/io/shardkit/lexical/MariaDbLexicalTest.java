package io.shardkit.lexical;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.testing.MariaDbShards;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.schema.Column;
import org.junit.jupiter.api.Test;

/**
 * MariaDB's own readings (issue 10, case 13): each text is run on the reference database to show
 * it answers differently from what the parse says, then shown refused through shardkit.
 */
@MariaDbShards
class MariaDbLexicalTest extends LexicalContract {
    @Override
    Connection openMultiStatementReference() throws SQLException {
        String url = shards.referenceUrl();
        return DriverManager.getConnection(url + (url.contains("?") ? "&" : "?") + "allowMultiQueries=true",
                shards.user(), shards.password());
    }

    @Test
    void case13_mysqlExecutableComment() throws Exception {
        String sql = "SELECT COUNT(*) FROM players WHERE player_id = 3 /*! OR 1=1 */";
        assertThat(parsedWhere(sql).toString()).isEqualTo("player_id = 3");
        assertThat(reference(sql)).isEqualTo(ROWS);
        refused(() -> sharded(sql), "the way MySQL/MariaDB does", "executable comment");
        refused(() -> sharded("SELECT COUNT(*) FROM players WHERE player_id = 3 /*M!100000 OR 1=1 */"),
                "executable comment");
        refused(() -> sharded("SELECT /*+ NO_INDEX(players) */ COUNT(*) FROM players"), "optimizer hint");
    }

    @Test
    void case13_mysqlPipesIsOr() throws Exception {
        String sql = "SELECT COUNT(*) FROM players WHERE player_id = 3 AND 1 || score = 200";
        // the parser: player_id = 3 AND (1 || score) = 200, at most one row on one shard
        assertThat(parsedWhere(sql)).isInstanceOf(AndExpression.class);
        // MariaDB: (player_id = 3 AND 1) OR score = 200
        assertThat(reference(sql)).isEqualTo(2);
        refused(() -> sharded(sql), "'||' (OR on MySQL/MariaDB unless sql_mode has PIPES_AS_CONCAT");
    }

    @Test
    void case13_nestedCommentMariaDb() throws Exception {
        String sql = "SELECT COUNT(*) FROM players /* a /* b */ WHERE player_id = 3 -- */";
        assertThat(parsedWhere(sql)).isNull();
        assertThat(reference(sql)).isEqualTo(1);
        refused(() -> sharded(sql), "'/*' inside a block comment");
    }

    @Test
    void case13_mysqlDashDashWithoutSpace() throws Exception {
        String sql = "SELECT COUNT(*) FROM players WHERE score > 100 --1 OR player_id = 3\n AND player_id = 5";
        assertThat(parsedWhere(sql).toString()).isEqualTo("score > 100 AND player_id = 5");
        // MariaDB: score > 100 - -1 OR (player_id = 3 AND player_id = 5)
        assertThat(reference(sql)).isEqualTo(10);
        refused(() -> sharded(sql), "'--' not followed by a space");
        // with the space it is a comment for both
        assertThat(sharded("SELECT COUNT(*) FROM players WHERE score > 100 -- 1 OR player_id = 3\n AND player_id = 15"))
                .isEqualTo(reference("SELECT COUNT(*) FROM players WHERE score > 100 -- 1 OR player_id = 3\n AND player_id = 15"))
                .isEqualTo(1);
    }

    @Test
    void case13_mysqlDoubleQuotedString() throws Exception {
        String sql = "SELECT COUNT(*) FROM players WHERE name = \"name\"";
        // the parser compares two columns (every row); MariaDB compares with the string 'name' (no row)
        assertThat(((EqualsTo) parsedWhere(sql)).getRightExpression()).isInstanceOf(Column.class);
        assertThat(reference(sql)).isZero();
        refused(() -> sharded(sql), "a double-quoted token", "ANSI_QUOTES");
        refused(() -> sharded("SELECT player_id FROM players ORDER BY \"score\" DESC LIMIT 1"), "a double-quoted token");
    }

    @Test
    void case13_mysqlHashCommentAndBackslashEscapes() throws Exception {
        String sql = "SELECT COUNT(*) FROM players WHERE name = 'p1\\' OR player_id > 0 -- '";
        // the parser: name = 'p1\' OR player_id > 0 (every row); MariaDB: one string, no row
        assertThat(parsedWhere(sql)).isInstanceOf(OrExpression.class);
        assertThat(reference(sql)).isZero();
        refused(() -> sharded(sql), "a backslash in a string literal");
        String hash = "SELECT COUNT(*) FROM players WHERE player_id = 3 #x\n OR player_id = 4";
        assertThat(reference(hash)).isEqualTo(2);
        refused(() -> sharded(hash), "a # comment");
        // MariaDB ends a -- comment only at a line feed; the parser at a carriage return too
        String cr = "SELECT COUNT(*) FROM players WHERE player_id = 1 -- x\rOR player_id = 2";
        assertThat(parsedWhere(cr).toString()).isEqualTo("player_id = 1 OR player_id = 2");
        assertThat(reference(cr)).isEqualTo(1);
        refused(() -> sharded(cr), "a carriage return inside a -- comment");
    }
}
