package io.shardkit.sql;

import io.shardkit.config.ShardMap;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.update.Update;

/**
 * Parses SQL with JSqlParser and works out its {@link SqlAnalysis} against one shard map.
 * Called once per distinct SQL text (see {@link AnalysisCache}); never on the cached path.
 *
 * <p>Decides here, not at run time, everything that depends only on the SQL and the map:
 * refusals (joins of tables that are not co-located, subqueries over sharded tables, UPDATE of
 * the shard key), the shard key predicate, and the constructs a multi-shard SELECT would have
 * to merge.
 *
 * <p>The walk itself is {@link StatementAnalysis}, one per SQL text; parsing goes through
 * {@link SqlParse}, the node allowlist through {@link Allowlist}.
 */
public final class Analyzer {

    private final ShardMap map;
    private final Dialect dialect;

    public Analyzer(ShardMap map) {
        this.map = map;
        this.dialect = map.shards().isEmpty() ? Dialect.OTHER : Dialect.fromUrl(map.shards().get(0).url());
    }

    public SqlAnalysis analyze(String sql) {
        String lexical = SqlLexer.problem(sql, dialect); // text the parser and the database may read differently
        if (lexical != null) {
            return new SqlAnalysis(sql, StatementKind.OTHER, SqlAnalysis.Shape.REFUSED, List.of(), null, null, null,
                    null, null, List.of(), null, lexical, dialect);
        }
        Statement statement;
        try {
            statement = parse(sql);
        } catch (Exception e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            return new SqlAnalysis(sql, StatementKind.OTHER, SqlAnalysis.Shape.REFUSED, List.of(), null, null, null,
                    null, null, List.of(), null, "shardkit cannot parse this statement to route it (" + reason
                    + "); run it on a connection pinned to one shard (ShardedDataSource.connectionTo)", dialect);
        }
        try {
            StatementAnalysis work = new StatementAnalysis(this, map, dialect, sql);
            SqlAnalysis result = work.run(statement);
            if (returns(statement)) {
                result.withReturning();
            }
            return work.readsOnly ? result.withReadsOnly() : result;
        } catch (RuntimeException e) {
            // a statement shape the analysis does not know: refuse rather than guess
            return new SqlAnalysis(sql, StatementKind.OTHER, SqlAnalysis.Shape.REFUSED, List.of(), null, null, null,
                    null, null, List.of(), null, "shardkit cannot analyse this statement (" + e
                    + "); run it on a connection pinned to one shard (ShardedDataSource.connectionTo)", dialect);
        }
    }

    private static boolean returns(Statement st) {
        return (st instanceof Insert i && i.getReturningClause() != null)
                || (st instanceof Update u && u.getReturningClause() != null)
                || (st instanceof Delete d && d.getReturningClause() != null);
    }

    /** The statement {@code sql} as JSqlParser reads it (see {@link SqlParse#statement}). */
    static Statement parse(String sql) throws Exception {
        return SqlParse.statement(sql);
    }

    /** Whether a function name is an aggregate (any database's), so a merge must account for it. */
    static boolean isAggregate(String function) {
        return Functions.AGGREGATES.contains(name(function));
    }

    static String name(String identifier) {
        String n = identifier;
        if (n.length() >= 2) {
            char f = n.charAt(0);
            char l = n.charAt(n.length() - 1);
            if ((f == '"' && l == '"') || (f == '`' && l == '`') || (f == '[' && l == ']')) {
                n = n.substring(1, n.length() - 1);
            }
        }
        return n.toLowerCase(Locale.ROOT);
    }

    /** A literal or parameter usable as a shard key value; {@code null} for anything else. */
    static ValueRef value(Expression e) {
        if (e instanceof JdbcParameter p) {
            return p.getIndex() == null ? null : ValueRef.parameter(p.getIndex());
        }
        if (e instanceof LongValue l) {
            return ValueRef.literal(l.getValue());
        }
        if (e instanceof StringValue s) {
            return ValueRef.literal(s.getValue());
        }
        if (e instanceof DoubleValue d) {
            return ValueRef.literal(new BigDecimal(d.toString()));
        }
        if (e instanceof SignedExpression s && s.getSign() == '-' && s.getExpression() instanceof LongValue l) {
            return ValueRef.literal(-l.getValue());
        }
        return null;
    }

    static List<String> distinct(List<String> names) {
        return new ArrayList<>(new LinkedHashSet<>(names));
    }
}
