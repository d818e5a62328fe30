package io.shardkit.sql;

import net.sf.jsqlparser.statement.select.Select;

import java.util.Map;

import java.util.LinkedHashMap;

import io.shardkit.config.TableRule;

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

    /** Whether some table of the map is split by name (then physical names written directly are looked for). */
    private final boolean splitTables;

    public Analyzer(ShardMap map) {
        this.map = map;
        this.splitTables = map.tables().values().stream().anyMatch(TableRule::isSplit);
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
        ShardMap over = map;
        if (splitTables) {
            Object resolved = withPhysicalNames(statement);
            if (resolved instanceof String refusal) {
                return new SqlAnalysis(sql, StatementKind.OTHER, SqlAnalysis.Shape.REFUSED, List.of(), null, null, null,
                        null, null, List.of(), null, refusal, dialect);
            }
            over = (ShardMap) resolved;
        }
        try {
            StatementAnalysis work = new StatementAnalysis(this, over, dialect, sql);
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

    /**
     * A physical table of a split table written directly ({@code SELECT * FROM photos_a3}): in a
     * query, it is analysed as a table of its own placed like its split table (same key and strategy,
     * so it runs on the shards that hold it, each answering its own physical table of that name);
     * the map with those tables added, or the map itself when the statement names none. In any other
     * statement such a name is refused (the refusal, a {@code String}): a write through it would
     * bypass the rule that picks each row's table.
     */
    private Object withPhysicalNames(Statement statement) {
        TableFinder finder = new TableFinder();
        try {
            finder.getTables(statement);
        } catch (UnsupportedOperationException e) {
            return map; // statement kinds the finder does not walk name no table it could see
        }
        Map<String, TableRule> extra = null;
        for (String t : concat(finder.top, finder.nested)) {
            String name = t.toLowerCase(Locale.ROOT);
            if (map.tables().containsKey(name) || finder.cteNames.contains(name)) {
                continue;
            }
            for (TableRule rule : map.tables().values()) {
                if (rule.isSplit() && rule.split().suffixOf(name) != null) {
                    if (!(statement instanceof Select)) {
                        return "a statement other than a query that names " + name + " (a physical table of split"
                                + " table " + rule.table() + "); write through the logical table, whose rule picks each"
                                + " row's physical table";
                    }
                    if (extra == null) {
                        extra = new LinkedHashMap<>(map.tables());
                    }
                    extra.put(name, new TableRule(name, rule.kind(), rule.keyColumn(), rule.strategy(), rule.shard()));
                }
            }
        }
        return extra == null ? map : new ShardMap(map.shards(), map.pool(), extra, map.defaultShard(), map.settings(),
                map.tenancy());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
