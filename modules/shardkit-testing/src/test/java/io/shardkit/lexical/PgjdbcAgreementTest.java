package io.shardkit.lexical;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.sql.Dialect;
import io.shardkit.sql.SqlLexer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;
import org.postgresql.core.SqlCommandType;

/**
 * What {@link SqlLexer} accepts for PostgreSQL, pgjdbc must read alike: the same {@code ?} markers
 * (pgjdbc binds them) and one statement (a tail of comments aside: pgjdbc's BLANK). Random texts built from the
 * characters where readings differ, read by pgjdbc's own parser (no server needed). This found
 * pgjdbc's reading of a comment opened as {@code /*}{@code /}.
 */
class PgjdbcAgreementTest {
    private static final String[] ATOMS = {"'", "\"", "`", "\\", "/", "*", "-", "#", "$", "?", ";", "\n", "\r", " ",
        "a", "1", "E", "[", "]", "|", "&", "@", ":", "/*", "*/", "--", "$$", "''", "e'", "x", ".", "+", "E'", "U&", "N'",
        "$a$", "\\'", "\"\"", "?", "'?'", "/*?*/", "-- ?\n", "??", "(", ")", ",", "=", "~", "<", ">", "{", "}"};

    @Test
    void pgjdbcFindsTheMarkersAndStatementsTheLexerFinds() throws Exception {
        Random random = new Random(42);
        List<String> disagreements = new ArrayList<>();
        int compared = 0;
        for (int k = 0; k < 60_000; k++) {
            StringBuilder sb = new StringBuilder("SELECT ");
            int atoms = 1 + random.nextInt(14);
            for (int j = 0; j < atoms; j++) {
                sb.append(ATOMS[random.nextInt(ATOMS.length)]);
            }
            sb.append(random.nextBoolean() ? " FROM t" : " FROM t; ");
            String sql = sb.toString();
            if (SqlLexer.problem(sql, Dialect.POSTGRESQL) != null) {
                continue;
            }
            compared++;
            int binds = 0;
            int statements = 0;
            for (NativeQuery q : Parser.parseJdbcSql(sql, true, true, true, false, false)) {
                binds += q.bindPositions.length;
                // pgjdbc's own verdict on a tail holding only comments: BLANK
                statements += q.command.getType() == SqlCommandType.BLANK ? 0 : 1;
            }
            int counted = SqlLexer.countParameters(sql, Dialect.POSTGRESQL);
            if (binds != counted || statements != 1) {
                disagreements.add("pgjdbc ? " + binds + " in " + statements + " statements, lexer ? " + counted + ": "
                        + sql.replace("\n", "\\n").replace("\r", "\\r"));
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(compared).isGreaterThan(10_000);
    }
}
