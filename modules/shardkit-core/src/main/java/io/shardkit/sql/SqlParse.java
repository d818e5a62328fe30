package io.shardkit.sql;

import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;

/**
 * The one place shardkit calls JSqlParser. A statement is read by the fast parser first and by the
 * complex grammar only when the fast one fails, so every reader of SQL (the analyzer, the tenancy
 * templates) sees the same tree for the same text. Called once per distinct SQL text.
 */
public final class SqlParse {

    private SqlParse() {
    }

    /** The fast parser first; the complex grammar only when the fast one fails. */
    public static Statement statement(String sql) throws Exception {
        try {
            return CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(false).Statement();
        } catch (Exception | Error simpleFailure) {
            return CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(true).Statement();
        }
    }

    /** An expression shardkit wrote itself (a rewrite for the shards), read without the complex grammar. */
    static Expression expression(String text) throws Exception {
        return CCJSqlParserUtil.parseExpression(text, false);
    }
}
