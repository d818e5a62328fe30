package io.shardkit.lexical;

import static org.assertj.core.api.Assertions.assertThat;

import com.mysql.cj.QueryInfo;
import com.mysql.cj.jdbc.ClientPreparedStatement;
import io.shardkit.sql.Dialect;
import io.shardkit.sql.SqlLexer;
import io.shardkit.testing.MariaDbShards;
import io.shardkit.testing.ShardSet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What {@link SqlLexer} accepts for MySQL/MariaDB, MySQL Connector/J (the driver the shards use)
 * must read alike: the same {@code ?} markers, which it replaces client-side, and one statement.
 * Random texts built from the characters where readings differ; the driver's reading comes from
 * its client-side prepared statement on the MariaDB server's connection (nothing is executed).
 */
@MariaDbShards
class MysqlConnectorAgreementTest {
    private static final String[] ATOMS = {"'", "\"", "`", "\\", "/", "*", "-", "#", "$", "?", ";", "\n", "\r", " ",
        "a", "1", "E", "[", "]", "|", "&", "@", ":", "/*", "*/", "--", "-- ", "''", "x", ".", "+", "N'", "/*!", "\\'",
        "``", "?", "'?'", "/*?*/", "-- ?\n", "# ?\n", "(", ")", ",", "=", "~", "<", ">", "{", "}", "\t"};

    @Test
    void theDriverFindsTheMarkersAndStatementsTheLexerFinds(ShardSet shards) throws Exception {
        Random random = new Random(7);
        List<String> disagreements = new ArrayList<>();
        int compared = 0;
        try (Connection c = shards.openReference()) {
            for (int k = 0; k < 30_000; k++) {
                StringBuilder sb = new StringBuilder("SELECT ");
                int atoms = 1 + random.nextInt(14);
                for (int j = 0; j < atoms; j++) {
                    sb.append(ATOMS[random.nextInt(ATOMS.length)]);
                }
                sb.append(random.nextBoolean() ? " FROM t" : " FROM t; ");
                String sql = sb.toString();
                if (SqlLexer.problem(sql, Dialect.MYSQL) != null) {
                    continue;
                }
                compared++;
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    QueryInfo info = ps.unwrap(ClientPreparedStatement.class).getQueryInfo();
                    int counted = SqlLexer.countParameters(sql, Dialect.MYSQL);
                    if (info.getNumberOfPlaceholders() != counted || info.getNumberOfQueries() != 1) {
                        disagreements.add("driver ? " + info.getNumberOfPlaceholders() + " in " + info.getNumberOfQueries()
                                + " statements, lexer ? " + counted + ": " + sql.replace("\n", "\\n").replace("\r", "\\r"));
                    }
                }
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(compared).isGreaterThan(3_000);
    }
}
