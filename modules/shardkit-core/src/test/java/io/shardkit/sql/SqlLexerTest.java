package io.shardkit.sql;

import static io.shardkit.sql.Dialect.MYSQL;
import static io.shardkit.sql.Dialect.OTHER;
import static io.shardkit.sql.Dialect.POSTGRESQL;
import static io.shardkit.sql.Dialect.SQLITE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The lexical rules of each dialect, one group per rule: what {@link SqlLexer#problem} refuses,
 * what it accepts, and what {@link SqlLexer#countParameters} counts.
 */
class SqlLexerTest {
    private static final Dialect[] ALL = {SQLITE, POSTGRESQL, MYSQL, OTHER};

    private static void accepted(String sql, Dialect... dialects) {
        for (Dialect d : dialects) {
            assertThat(SqlLexer.problem(sql, d)).as(d + ": " + sql).isNull();
        }
    }

    private static void refused(String sql, String fragment, Dialect... dialects) {
        for (Dialect d : dialects) {
            assertThat(SqlLexer.problem(sql, d)).as(d + ": " + sql).isNotNull().contains(fragment);
        }
    }

    private static void counts(String sql, int expected, Dialect... dialects) {
        for (Dialect d : dialects) {
            assertThat(SqlLexer.countParameters(sql, d)).as(d + ": " + sql).isEqualTo(expected);
        }
    }

    @Test
    void plainSqlIsAcceptedEverywhere() {
        accepted("SELECT a, b FROM t WHERE id = ? AND name = 'x''y' -- note\n ORDER BY a /* c */", ALL);
        accepted("SELECT 1;", ALL);
        accepted("SELECT 1 ; -- done\n /* really */  ", ALL);
        accepted("SELECT a - -1 FROM t", ALL);
        accepted("SELECT 'a;b' FROM t WHERE x = 1 /* ; */", ALL);
    }

    @Test
    void severalStatementsAreRefusedOnEveryDialect() {
        refused("SELECT 1; DELETE FROM t", SqlLexer.SEVERAL_STATEMENTS, ALL);
        refused("SELECT 1;;", SqlLexer.SEVERAL_STATEMENTS, ALL);
        refused("UPDATE t SET a = 1 WHERE id = 7; UPDATE t SET a = 9", SqlLexer.SEVERAL_STATEMENTS, ALL);
        refused("SELECT 1; -- x\nDELETE FROM t", SqlLexer.SEVERAL_STATEMENTS, ALL);
        // a ';' inside a string, a quoted name or a comment ends nothing
        accepted("SELECT ';' FROM t -- ; DELETE FROM t", ALL);
        accepted("SELECT \"a;b\" FROM t", SQLITE, POSTGRESQL, OTHER);
        accepted("SELECT `a;b` FROM t", SQLITE, MYSQL);
        accepted("SELECT $$;DELETE FROM t$$", POSTGRESQL);
        // several statements win over any other problem, and MySQL runs what an executable comment holds
        assertThat(SqlLexer.problem("SELECT 1 /*! ; DELETE FROM t */", MYSQL)).startsWith(SqlLexer.SEVERAL_STATEMENTS);
        assertThat(SqlLexer.problem("SELECT \"x\"; DELETE FROM t", MYSQL)).startsWith(SqlLexer.SEVERAL_STATEMENTS);
        // on MySQL "--1" is code, so the ';' after it ends a statement
        assertThat(SqlLexer.problem("SELECT 1 --1; DELETE FROM t", MYSQL)).startsWith(SqlLexer.SEVERAL_STATEMENTS);
        assertThat(SqlLexer.problem("SELECT 1 --1; DELETE FROM t", SQLITE)).isNull();
    }

    @Test
    void unterminatedTextIsRefused() {
        refused("SELECT 'abc FROM t", "unterminated string", ALL);
        refused("SELECT 1 /* abc", "unterminated block comment", ALL);
        refused("SELECT \"abc FROM t", "unterminated quoted identifier", SQLITE, POSTGRESQL, OTHER);
        refused("SELECT `abc FROM t", "unterminated quoted identifier", SQLITE, MYSQL);
        refused("SELECT $$abc", "unterminated dollar", POSTGRESQL);
        refused("SELECT 1 /*! abc", "executable comment", MYSQL);
    }

    @Test
    void mysqlExecutableCommentsAndHints() {
        refused("SELECT * FROM t WHERE id = 3 /*! OR 1=1 */", "executable comment /*! ... */", MYSQL);
        refused("SELECT * FROM t WHERE id = 3 /*!50000 OR 1=1 */", "executable comment", MYSQL);
        refused("SELECT * FROM t WHERE id = 3 /*M!100100 OR 1=1 */", "executable comment", MYSQL);
        refused("SELECT /*+ INDEX(t i) */ * FROM t", "optimizer hint", MYSQL);
        // comments elsewhere
        accepted("SELECT * FROM t WHERE id = 3 /*! OR 1=1 */", SQLITE, POSTGRESQL);
        accepted("SELECT /*+ hint */ * FROM t", SQLITE, POSTGRESQL);
    }

    @Test
    void mysqlDashDashNeedsASpace() {
        refused("SELECT * FROM t WHERE score > 100 --1 OR id = 3\n AND id = 5", "'--' not followed by a space", MYSQL);
        refused("SELECT 1 --x", "'--' not followed by a space", MYSQL);
        accepted("SELECT 1 -- x", MYSQL);
        accepted("SELECT 1 --\tx", MYSQL);
        accepted("SELECT 1 --\nFROM t", MYSQL);
        accepted("SELECT 1 --", MYSQL);
        accepted("SELECT * FROM t WHERE score > 100 --1 OR id = 3\n AND id = 5", SQLITE, POSTGRESQL);
        // a non-breaking space is no space to MySQL
        refused("SELECT 1 --\u00a0x", "'--' not followed by a space", MYSQL);
    }

    @Test
    void mysqlHashComments() {
        refused("SELECT 1 # c\n FROM t", "a # comment", MYSQL);
        counts("SELECT ? # ?\n, ?", 2, MYSQL);
        accepted("SELECT '#' FROM t", MYSQL);
    }

    @Test
    void nestedCommentMarkers() {
        refused("SELECT * FROM t /* a /* b */ WHERE id = 3", "'/*' inside a block comment", SQLITE, MYSQL, OTHER);
        // PostgreSQL nests, and so does the parser: the same reading
        accepted("SELECT * FROM t /* a /* b */ c */ WHERE id = 3", POSTGRESQL);
        refused("SELECT * FROM t /* a /* b */ WHERE id = 3", "unterminated block comment", POSTGRESQL);
        accepted("SELECT 1 /*/ x */", SQLITE, MYSQL, OTHER);
        // pgjdbc ends a comment opened as /*/ at once (and binds the ? after it); PostgreSQL reads on
        refused("SELECT 1 /*/ ? */", "a block comment opening as /*/", POSTGRESQL);
        accepted("SELECT 1 /* / ? */", POSTGRESQL);
        accepted("SELECT 1 /**/", ALL);
        counts("SELECT ? /* /* ? */ ? */ , ?", 2, POSTGRESQL);
        counts("SELECT ? /* /* ? */ ? */ , ?", 3, SQLITE, MYSQL);
    }

    @Test
    void mysqlPipesAreOr() {
        refused("SELECT * FROM t WHERE id = 3 AND 1 || grp = 2", "'||' (OR on MySQL/MariaDB", MYSQL);
        accepted("SELECT a || b FROM t", SQLITE, POSTGRESQL, OTHER);
        accepted("SELECT '||' FROM t", MYSQL);
        accepted("SELECT a | b FROM t", MYSQL);
    }

    @Test
    void mysqlDoubleQuotesAreStrings() {
        refused("SELECT s FROM t ORDER BY \"s\"", "double-quoted token", MYSQL);
        accepted("SELECT s FROM t ORDER BY \"s\"", SQLITE, POSTGRESQL, OTHER);
        accepted("SELECT `s` FROM t ORDER BY `s`", MYSQL);
        // MySQL's double-quoted strings take backslash escapes: the ? after them is real
        counts("SELECT \"a\\\" ?\" , ?", 1, MYSQL);
        counts("SELECT \"a\\\" ?\" , ?", 1, POSTGRESQL);
    }

    @Test
    void backslashesFollowEachDatabase() {
        // MySQL: a backslash escapes; the parser reads no escapes
        refused("SELECT * FROM t WHERE name = 'a\\' OR id = 3 -- '", "backslash in a string literal", MYSQL);
        refused("SELECT 'a\\nb'", "backslash in a string literal", MYSQL);
        counts("SELECT '\\'?' , ?", 1, MYSQL);
        // PostgreSQL and SQLite: plain strings take no escapes
        accepted("SELECT 'C:\\dir\\file' FROM t", SQLITE, POSTGRESQL);
        counts("SELECT 'a\\' , ?", 1, SQLITE, POSTGRESQL);
        // a backslash before a quote is where the parser may disagree
        refused("SELECT 'a\\' FROM t", "backslash before a quote", SQLITE, POSTGRESQL, OTHER);
        refused("SELECT 'a\\'' FROM t", "backslash before a quote", SQLITE, POSTGRESQL);
        // PostgreSQL E'...' strings take escapes
        refused("SELECT E'a\\'b' FROM t", "backslash in an E'...' string", POSTGRESQL);
        refused("SELECT e'\\'' FROM t", "backslash in an E'...' string", POSTGRESQL);
        counts("SELECT E'\\' ?' , ?", 1, POSTGRESQL);
        accepted("SELECT E'ab' FROM t", POSTGRESQL);
        accepted("SELECT name'x' FROM t", POSTGRESQL);
        refused("SELECT U&'d\\0061t' FROM t", "Unicode escape", POSTGRESQL);
    }

    @Test
    void quotedIdentifiersPerDialect() {
        counts("SELECT \"a?\" , `b?`, ?", 1, SQLITE);
        counts("SELECT \"a?\" , ?", 1, POSTGRESQL);
        refused("SELECT `a` FROM t", "backtick", POSTGRESQL);
        refused("SELECT [id] FROM t", "[bracketed] name", SQLITE);
        counts("SELECT [a?], ?", 1, SQLITE);
        accepted("SELECT a[1] FROM t", POSTGRESQL);
        accepted("SELECT \"a\"\"b\" FROM t", SQLITE, POSTGRESQL);
        accepted("SELECT `a``b` FROM t", MYSQL, SQLITE);
    }

    @Test
    void postgresDollarQuotes() {
        accepted("SELECT $$it's ? here$$ FROM t", POSTGRESQL);
        counts("SELECT $$it's ? here$$, ?", 1, POSTGRESQL);
        accepted("SELECT $$ a $ b $$", POSTGRESQL);
        // the parser does not read tags ($q$ x $q$ becomes three tokens)
        refused("SELECT $q$ x $q$", "tagged dollar quote", POSTGRESQL);
        counts("SELECT $q$ ? $b$ ? $q$, ?", 1, POSTGRESQL);
        // a $ inside a name is no quote
        accepted("SELECT a$$b FROM t", POSTGRESQL);
        counts("SELECT a$$b, ?, c$$ FROM t", 1, POSTGRESQL);
        refused("SELECT * FROM t WHERE id = $1", "$n positional parameter", POSTGRESQL);
        // elsewhere a dollar quote does not exist
        refused("SELECT $$a$$", "'$' starting a token", MYSQL, OTHER);
        refused("SELECT * FROM t WHERE a = $x", "named parameter", SQLITE);
        counts("SELECT $$?$$", 1, SQLITE, MYSQL);
    }

    @Test
    void questionMarks() {
        counts("SELECT ? FROM t WHERE a = ? AND b = '?' AND \"?\" = 1 -- ?\n /* ? */", 2, SQLITE, POSTGRESQL);
        // pgjdbc reads ?? as one literal ?: no parameter, and the parser would read two
        counts("SELECT d ?? 'k', ? FROM t", 1, POSTGRESQL);
        counts("SELECT ??", 2, SQLITE, MYSQL);
        refused("SELECT * FROM t WHERE d ?? 'k'", "'??'", POSTGRESQL);
        // ?| and ?& are a parameter to the driver and an operator to the parser
        refused("SELECT * FROM t WHERE d ?| array['a']", "'?|' or '?&'", ALL);
        refused("SELECT * FROM t WHERE d ?& array['a']", "'?|' or '?&'", ALL);
        counts("SELECT ?|1", 1, SQLITE);
        accepted("SELECT ? | 1", SQLITE, MYSQL);
        refused("SELECT * FROM t WHERE a = ?1", "numbered parameter", ALL);
        refused("SELECT * FROM t WHERE a = :a", "named parameter", SQLITE);
        refused("SELECT * FROM t WHERE a = @a", "named parameter", SQLITE);
        refused("SELECT * FROM t WHERE a = @a", "'@' or '#' before a name", POSTGRESQL);
        // the parser reads #a and @$$ as names; PostgreSQL an operator (and a dollar quote)
        refused("SELECT 5 #a FROM t", "'@' or '#' before a name", POSTGRESQL, OTHER);
        refused("SELECT #@$$?$$ FROM t", "before a name", POSTGRESQL);
        accepted("SELECT @a", MYSQL);
        accepted("SELECT a::int FROM t", POSTGRESQL);
    }

    @Test
    void otherReadingsThatDiffer() {
        refused("SELECT a // b\n FROM t", "'//'", ALL);
        // MySQL Connector/J reads \' outside a string as an escaped quote, not as the start of a string
        refused("SELECT \\'?' FROM t", "a backslash outside a string", ALL);
        refused("SELECT `a\\` ? `` FROM t", "a backslash in a quoted name", MYSQL, SQLITE);
        refused("SELECT \"a\\\" FROM t", "a backslash in a quoted name", SQLITE, POSTGRESQL, OTHER);
        refused("SELECT {fn ucase(name)} FROM t WHERE d > {d '2020-01-01'}", "a JDBC escape", ALL);
        accepted("SELECT '{1,2}', \"{\" FROM t", SQLITE, POSTGRESQL, OTHER);
        refused("SELECT 'a' 'b' FROM t", "two adjacent string literals", MYSQL, POSTGRESQL);
        refused("SELECT 'a'\n'b' FROM t", "two adjacent string literals", POSTGRESQL);
        refused("SELECT 'a' /* c */ 'b' FROM t", "two adjacent string literals", MYSQL);
        accepted("SELECT 'a' 'b' FROM t", SQLITE);
        accepted("SELECT 'a', 'b' FROM t", ALL);
        refused("SELECT * FROM t WHERE tags && ARRAY[1]", "'&&'", POSTGRESQL);
        accepted("SELECT * FROM t WHERE a = 1 && b = 2", MYSQL);
        // the parser (and PostgreSQL) end a -- comment at a carriage return, SQLite and MySQL at the line feed
        refused("SELECT * FROM t WHERE id = 1 -- x\rOR id = 2", "carriage return", SQLITE, MYSQL, OTHER);
        accepted("SELECT * FROM t WHERE id = 1 -- x\r\nAND id = 2", ALL);
        accepted("SELECT * FROM t WHERE id = 1 -- x\rOR id = 2", POSTGRESQL);
        counts("SELECT ? -- x\r?", 2, POSTGRESQL);
        counts("SELECT ? -- x\r?", 1, SQLITE, MYSQL);
        // the parser takes @ and # into a name: a@>b is "a@" > b to it, a @> b to PostgreSQL
        refused("SELECT * FROM t WHERE a@>b", "'@' or '#' right after a name", ALL);
        refused("SELECT a#>'{x}' FROM t", "'@' or '#' right after a name", POSTGRESQL, SQLITE, OTHER);
        refused("SELECT 5#3", "'@' or '#' right after a name", POSTGRESQL);
        accepted("SELECT a #> '{x}', a @> b, 5 # 3 FROM t", POSTGRESQL);
        refused("SELECT * FROM t WHERE a = #x", "named parameter", SQLITE);
        // numbers: 1_000 is a number to PostgreSQL 16+ and SQLite 3.46+, a column to the parser
        accepted("SELECT 1, 10, 1.5, .5, 5., 1e3, 1.5e-3, 2E+10, 0x1F, a1, t.c1 FROM t LIMIT 10", ALL);
        refused("SELECT 1_000 FROM t", "a number glued to letters", ALL);
        refused("SELECT 0b101 FROM t", "a number glued to letters", ALL);
        refused("SELECT 0o17 FROM t", "a number glued to letters", ALL);
        refused("SELECT 1.5e FROM t", "a number glued to letters", ALL);
        refused("SELECT 1abc FROM t", "a number glued to letters", ALL);
    }

    @Test
    void messagesSayWhere() {
        assertThat(SqlLexer.problem("SELECT 1 # c", MYSQL))
                .isEqualTo("shardkit cannot read this SQL the way MySQL/MariaDB does: a # comment (MySQL/MariaDB reads a"
                        + " comment, shardkit's parser does not): use -- or /* */ (at character 10)");
        assertThat(SqlLexer.problem("SELECT 1; SELECT 2", SQLITE)).startsWith(SqlLexer.SEVERAL_STATEMENTS)
                .endsWith("(';' at character 9)");
    }
}
