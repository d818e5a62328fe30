package io.shardkit.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.sf.jsqlparser.parser.CCJSqlParserTokenManager;
import net.sf.jsqlparser.parser.SimpleCharStream;
import net.sf.jsqlparser.parser.StringProvider;
import net.sf.jsqlparser.parser.Token;
import org.junit.jupiter.api.Test;

/**
 * Whatever {@link SqlLexer} accepts for a dialect, shardkit's parser must tokenize the same way:
 * random texts built from the characters where readings differ (quotes, backslashes, comment
 * marks, dollars, {@code ?}, {@code ;}, ...) are given to both, and for every accepted text the
 * parser's tokenizer must find exactly the {@code ?} markers the lexer counts and no second
 * statement. A text the tokenizer cannot read is refused by the parse anyway.
 */
class SqlLexerAgreementTest {
    private static final String[] ATOMS = {"'", "\"", "`", "\\", "/", "*", "-", "#", "$", "?", ";", "\n", "\r", " ",
        "a", "1", "E", "[", "]", "|", "&", "@", ":", "/*", "*/", "--", "$$", "''", "e'", "x", ".", "+", "E'", "U&", "N'",
        "$a$", "/*!", "\\'", "\"\"", "``", "?", "'?'", "/*?*/", "-- ?\n", "0x", "_", "(", ")", ",", "=", "!", "~", "^",
        "%", "<", ">"};
    private static final int TEXTS = 30_000;

    @Test
    void theParserTokenizesAcceptedTextAsTheLexerReadsIt() {
        for (Dialect d : Dialect.values()) {
            Random random = new Random(10 + d.ordinal());
            List<String> disagreements = new ArrayList<>();
            int compared = 0;
            int withMarkers = 0;
            for (int k = 0; k < TEXTS; k++) {
                StringBuilder sb = new StringBuilder("SELECT ");
                int atoms = 1 + random.nextInt(14);
                for (int j = 0; j < atoms; j++) {
                    sb.append(ATOMS[random.nextInt(ATOMS.length)]);
                }
                sb.append(random.nextBoolean() ? " FROM t" : " FROM t; ");
                String sql = sb.toString();
                if (SqlLexer.problem(sql, d) != null) {
                    continue;
                }
                int markers = 0;
                boolean second = false;
                int semicolons = 0;
                try {
                    CCJSqlParserTokenManager tm = new CCJSqlParserTokenManager(new SimpleCharStream(new StringProvider(sql)));
                    for (Token t = tm.getNextToken(); t.kind != 0; t = tm.getNextToken()) {
                        second |= semicolons > 0;
                        semicolons += t.image.equals(";") ? 1 : 0;
                        markers += t.image.equals("?") ? 1 : 0;
                    }
                } catch (RuntimeException | Error unreadable) {
                    continue;
                }
                compared++;
                int counted = SqlLexer.countParameters(sql, d);
                withMarkers += counted > 0 ? 1 : 0;
                if (markers != counted || second) {
                    disagreements.add("parser ? " + markers + ", lexer ? " + counted + (second ? ", a second statement" : "")
                            + ": " + sql.replace("\n", "\\n").replace("\r", "\\r"));
                }
            }
            assertThat(disagreements).as(d + ": accepted texts the parser reads differently").isEmpty();
            assertThat(compared).as(d + ": texts compared").isGreaterThan(TEXTS / 10);
            assertThat(withMarkers).as(d + ": compared texts with ? markers").isGreaterThan(TEXTS / 50);
        }
    }
}
