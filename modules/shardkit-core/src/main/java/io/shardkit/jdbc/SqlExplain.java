package io.shardkit.jdbc;

import io.shardkit.exec.Parameters;
import io.shardkit.Explain;
import io.shardkit.RefusedException;
import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.PlanNode;
import io.shardkit.plan.Route;
import io.shardkit.sql.Dialect;
import io.shardkit.sql.SqlAnalysis;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code EXPLAIN <statement>} typed as SQL on a routed connection: shardkit's own plan for the
 * statement (the text of {@code ShardedDataSource.explain}), then, under it, the plan each shard
 * query gets from its shard ({@code EXPLAIN QUERY PLAN} on SQLite, {@code EXPLAIN} elsewhere), as
 * rows of two text columns, {@code source} (shardkit or the shard's name) and {@code plan}. Nothing
 * runs but the shards' EXPLAIN: {@code ANALYZE} (which would execute the statement on every shard)
 * and other options are refused, and so is any statement shardkit would refuse to run.
 */
public final class SqlExplain {
    /** {@code EXPLAIN [QUERY PLAN]} at the very start: comments or options before the statement are not read as EXPLAIN. */
    private static final Pattern PREFIX = Pattern.compile("(?is)\\s*EXPLAIN\\s+(QUERY\\s+PLAN\\s+)?");
    private static final Pattern STATEMENT_START =
            Pattern.compile("(?is)(SELECT|WITH|INSERT|UPDATE|DELETE|REPLACE|VALUES|TABLE)\\b.*|\\(.*");
    static final String SHARDKIT = "shardkit";

    private SqlExplain() {
    }

    /**
     * The statement an {@code EXPLAIN} text explains, or {@code null} when the text is not an
     * {@code EXPLAIN}; refuses an {@code EXPLAIN} with options.
     */
    static String inner(String sql) throws SQLException {
        Matcher m = PREFIX.matcher(sql);
        if (!m.lookingAt()) {
            return null;
        }
        String rest = sql.substring(m.end());
        if (!STATEMENT_START.matcher(rest).matches()) {
            throw new RefusedException("EXPLAIN with options (" + firstWord(rest) + "): shardkit runs EXPLAIN of a"
                    + " plain statement only, which executes nothing (EXPLAIN ANALYZE would run the statement on every"
                    + " shard it reaches); run options on a connection pinned to one shard", sql);
        }
        return rest;
    }

    private static String firstWord(String s) {
        String t = s.strip();
        int end = 0;
        while (end < t.length() && !Character.isWhitespace(t.charAt(end)) && t.charAt(end) != '(') {
            end++;
        }
        return end == 0 ? t.substring(0, Math.min(1, t.length())) : t.substring(0, end).toUpperCase(Locale.ROOT);
    }

    /** Runs an {@code EXPLAIN} of {@code innerSql}: shardkit's plan, then each shard query's plan from its shard. */
    static ResultSet run(ShardedStatement owner, String sql, String innerSql, Parameters params) throws SQLException {
        ShardedConnection conn = owner.conn;
        SqlAnalysis inner = conn.cache().get(innerSql);
        if (inner.shape() == SqlAnalysis.Shape.REFUSED) {
            throw new RefusedException("EXPLAIN of a statement shardkit refuses: " + inner.problem(), sql);
        }
        if (inner.connectionState()) {
            throw new RefusedException("EXPLAIN of a connection-state function (it runs where the last write ran)", sql);
        }
        Explain explain = conn.executor().explain(inner, params == null ? null : params.values());
        List<Object[]> rows = new ArrayList<>();
        for (String line : explain.toString().split("\n")) {
            rows.add(new Object[] {SHARDKIT, line});
        }
        List<Route> routes = new ArrayList<>();
        collect(explain.plan(), routes);
        for (Route r : routes) {
            int shard = conn.registry().indexOf(r.shard());
            Dialect dialect = conn.registry().dialect(shard);
            String shardSql = (dialect == Dialect.SQLITE ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + conn.sqlFor(shard, r.sql());
            rows.add(new Object[] {r.shard(), "-- " + ShardException.shorten(shardSql)});
            List<String> lines = conn.onShard(shard, c -> {
                try (PreparedStatement ps = c.prepareStatement(shardSql)) {
                    if (params != null) {
                        params.applyTo(ps, r.parameters(), inner.parameterCount());
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        return dialect == Dialect.SQLITE ? sqlitePlan(rs) : lines(rs);
                    }
                } catch (SQLException e) {
                    throw ShardException.fromShard(r.shard(), shardSql, e);
                }
            });
            for (String line : lines) {
                rows.add(new Object[] {r.shard(), line});
            }
        }
        ResultSetMetaData md = new MergedMetaData("source", "plan");
        return CopiedRows.resultSet(owner, md, rows);
    }

    private static void collect(PlanNode node, List<Route> out) {
        if (node instanceof Route r) {
            out.add(r);
            return;
        }
        for (PlanNode child : node.children()) {
            collect(child, out);
        }
    }

    /** SQLite's rows (id, parent, notused, detail) as the tree it prints: detail indented by depth. */
    private static List<String> sqlitePlan(ResultSet rs) throws SQLException {
        Map<Integer, Integer> depth = new HashMap<>();
        List<String> out = new ArrayList<>();
        while (rs.next()) {
            int id = rs.getInt(1);
            int parent = rs.getInt(2);
            int d = depth.getOrDefault(parent, -1) + 1;
            depth.put(id, d);
            out.add("  ".repeat(d) + rs.getString(4));
        }
        return out;
    }

    /** One line per row: the value itself when there is one column (PostgreSQL), else label=value pairs (MySQL). */
    private static List<String> lines(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String> out = new ArrayList<>();
        while (rs.next()) {
            if (n == 1) {
                out.add(rs.getString(1));
                continue;
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i <= n; i++) {
                String v = rs.getString(i);
                if (v != null) {
                    sb.append(sb.length() == 0 ? "" : ", ").append(md.getColumnLabel(i)).append('=').append(v);
                }
            }
            out.add(sb.toString());
        }
        return out;
    }

    /** The statement's own kind of refusal when executeUpdate is given an EXPLAIN. */
    static SQLException notAnUpdate() {
        return new SQLException("executeUpdate was given EXPLAIN, which returns rows; use executeQuery",
                SqlStates.DYNAMIC_SQL_ERROR);
    }
}
