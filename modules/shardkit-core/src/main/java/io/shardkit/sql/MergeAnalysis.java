package io.shardkit.sql;

import static io.shardkit.sql.SelectTrees.aggregateCalls;

import io.shardkit.merge.Bound;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.expression.AllValue;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.AnalyticType;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.Fetch;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.Offset;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * Works out the {@link MergeSpec} of a SELECT: how to rewrite it for the shards and how to merge
 * their rows. Runs once per SQL text, on its own parse (the rewrite changes the tree).
 *
 * <p>Everything that cannot be merged exactly is named in a refusal: window functions, set
 * operations, aggregates other than COUNT/SUM/MIN/MAX/AVG, columns that are neither grouped nor
 * aggregated, expressions over aggregates using other than arithmetic, comparisons, CASE, ABS,
 * ROUND, COALESCE and NULLIF, GROUPING SETS/ROLLUP, DISTINCT ON, and parameters inside aggregates.
 *
 * <p>This class reads the clauses every SELECT shares (LIMIT, OFFSET, FETCH, window functions) and
 * hands the query to {@link PlainMerge} or {@link AggregateMerge} (whose merge-time expressions are
 * {@link MergedExpressions}); {@link SelectNames} says what a name in ORDER BY, GROUP BY or HAVING
 * means, and {@link SelectTrees} holds the static tree helpers they share.
 */
final class MergeAnalysis {
    final String sql;
    final Dialect dialect;
    /** The tiered table and its row id column, or {@code null}. */
    String tieredTable;
    String tieredId;
    /** The query's FROM, for the checks guarding names that may be an alias or a column. */
    PlainSelect query;
    /** Checks the shards compute (SQL) with the refusal when one is positive, by name checked. */
    final Map<String, String[]> guards = new LinkedHashMap<>();
    /** Names and positions in the select list, ORDER BY, GROUP BY and HAVING. */
    final SelectNames names = new SelectNames(this);

    private MergeAnalysis(String sql, Dialect dialect) {
        this.sql = sql;
        this.dialect = dialect;
    }

    static MergeSpec analyze(String sql, Dialect dialect) {
        return analyzeTiered(sql, dialect, null, null);
    }

    /**
     * The merge of a SELECT over a table with an archive tier ({@code table} non-null): as for any
     * table, plus the row id as the last, hidden shard column so archive rows a hot row shadows can
     * be dropped. Aggregates, GROUP BY and DISTINCT over both tiers are refused (a row caught
     * mid-move would count twice).
     */
    static MergeSpec analyzeTiered(String sql, Dialect dialect, String table, String id) {
        try {
            Statement st = SqlParse.statement(sql);
            if (!(st instanceof Select select)) {
                return MergeSpec.refused("this statement across shards");
            }
            MergeAnalysis analysis = new MergeAnalysis(sql, dialect);
            analysis.tieredTable = table;
            analysis.tieredId = id;
            return analysis.select(select);
        } catch (Refusal r) {
            return MergeSpec.refused(r.getMessage());
        } catch (Exception e) {
            return MergeSpec.refused("this SELECT across shards (" + e + ")");
        }
    }

    /** Thrown inside the analysis to refuse; becomes {@link MergeSpec#refusal()}. */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message, null, false, false);
        }
    }

    MergeSpec select(Select select) {
        if (select.getWithItemsList() != null && !select.getWithItemsList().isEmpty()) {
            throw new Refusal("WITH (common table expressions) across shards");
        }
        Select body = select;
        while (body instanceof ParenthesedSelect p && p.getOrderByElements() == null && p.getLimit() == null) {
            body = p.getSelect();
        }
        if (!(body instanceof PlainSelect ps)) {
            throw new Refusal("set operations (UNION, INTERSECT, EXCEPT) across shards");
        }
        if (ps.getDistinct() != null && (ps.getDistinct().getOnSelectItems() != null)) {
            throw new Refusal("DISTINCT ON across shards");
        }
        if (ps.getTop() != null) {
            throw new Refusal("TOP across shards");
        }
        if (ps.getQualify() != null) {
            throw new Refusal("QUALIFY across shards");
        }
        windows(ps);
        query = ps;
        Bound count = null;
        Bound offset = null;
        if (ps.getLimitBy() != null) {
            throw new Refusal("LIMIT BY across shards");
        }
        Limit limit = ps.getLimit();
        if (limit != null) {
            if (limit.getByExpressions() != null) {
                throw new Refusal("LIMIT ... BY across shards");
            }
            if (ps.getFetch() != null) {
                throw new Refusal("LIMIT together with FETCH across shards");
            }
            if (limit.getRowCount() instanceof AllValue || limit.getRowCount() instanceof NullValue) {
                if (dialect != Dialect.POSTGRESQL) {
                    // SQLite reads LIMIT NULL as a datatype mismatch, MySQL neither form
                    throw new Refusal("LIMIT " + (limit.getRowCount() instanceof AllValue ? "ALL" : "NULL") + " on "
                            + dialect + " across shards (the database does not accept it)");
                }
            } else if (limit.getRowCount() != null) {
                count = bound(limit.getRowCount(), "LIMIT", false);
            }
            if (limit.getOffset() != null) {
                if (dialect == Dialect.POSTGRESQL) {
                    throw new Refusal("LIMIT offset, count on POSTGRESQL across shards (the database does not accept it)");
                }
                offset = bound(limit.getOffset(), "OFFSET", true);
            }
        }
        if (ps.getOffset() != null) {
            Offset o = ps.getOffset();
            if (offset != null) {
                throw new Refusal("two OFFSET clauses across shards");
            }
            if (dialect != Dialect.POSTGRESQL && (limit == null && ps.getFetch() == null
                    || dialect == Dialect.SQLITE && o.getOffsetParam() != null)) {
                throw new Refusal("OFFSET " + o.toString().strip() + " on " + dialect
                        + " across shards (the database does not accept it)");
            }
            if (o.getOffsetParam() != null && !Set.of("ROW", "ROWS").contains(o.getOffsetParam().toUpperCase(Locale.ROOT))) {
                throw new Refusal("OFFSET ... " + o.getOffsetParam() + " across shards");
            }
            offset = bound(o.getOffset(), "OFFSET", true);
        }
        if (ps.getFetch() != null) {
            count = fetch(ps);
        }
        List<Function> calls = aggregateCalls(ps);
        boolean aggregate = !calls.isEmpty() || ps.getGroupBy() != null;
        if (tieredTable != null && (aggregate || ps.getDistinct() != null)) {
            throw new Refusal((aggregate ? "aggregates or GROUP BY" : "DISTINCT") + " over " + tieredTable
                    + " across its hot and archive tiers (a row caught mid-move would count twice; read the rows,"
                    + " or add a cutoff predicate that keeps the query in one tier)");
        }
        ps.setLimit(null);
        ps.setOffset(null);
        ps.setFetch(null);
        return aggregate ? new AggregateMerge(this).aggregateQuery(ps, calls, offset, count)
                : new PlainMerge(this).plainQuery(ps, offset, count);
    }

    /**
     * {@code FETCH {FIRST|NEXT} [n] {ROW|ROWS} {ONLY|WITH TIES}}, the only FETCH forms accepted.
     * WITH TIES needs the ORDER BY (the database refuses it without) and a written count.
     */
    Bound fetch(PlainSelect ps) {
        Fetch f = ps.getFetch();
        if (dialect == Dialect.SQLITE) {
            throw new Refusal("FETCH on SQLITE across shards (the database does not accept it)");
        }
        List<String> words = new ArrayList<>();
        for (String w : f.getFetchParameters()) {
            words.add(w.toUpperCase(Locale.ROOT).replaceAll("\\s+", " "));
        }
        boolean ties = words.equals(List.of("ROWS", "WITH TIES")) || words.equals(List.of("ROW", "WITH TIES"));
        if (!ties && !words.equals(List.of("ROWS", "ONLY")) && !words.equals(List.of("ROW", "ONLY"))) {
            throw new Refusal(f.toString().strip() + " across shards (only FETCH FIRST n ROWS ONLY or WITH TIES)");
        }
        Bound count = f.getExpression() == null ? Bound.of(1, reading(false)) : bound(f.getExpression(), "FETCH", false);
        if (!ties) {
            return count;
        }
        if (ps.getOrderByElements() == null || ps.getOrderByElements().isEmpty()) {
            throw new Refusal("FETCH ... WITH TIES without ORDER BY across shards");
        }
        if (count.parameter() != 0) {
            throw new Refusal("FETCH FIRST ? ROWS WITH TIES across shards (write the row count)");
        }
        return count.tied();
    }

    /** How this database reads a LIMIT ({@code offset} false) or OFFSET value. */
    Bound.Reading reading(boolean offset) {
        return switch (dialect) {
            case SQLITE -> offset ? Bound.Reading.SQLITE_OFFSET : Bound.Reading.SQLITE_LIMIT;
            case POSTGRESQL -> offset ? Bound.Reading.POSTGRESQL_OFFSET : Bound.Reading.POSTGRESQL_LIMIT;
            case MYSQL -> Bound.Reading.MYSQL;
            default -> Bound.Reading.STRICT;
        };
    }

    Bound bound(Expression e, String what, boolean offset) {
        if (e instanceof LongValue l) {
            return Bound.of(l.getValue(), reading(offset));
        }
        if (e instanceof SignedExpression s && s.getSign() == '-' && s.getExpression() instanceof LongValue l) {
            return Bound.of(-l.getValue(), reading(offset));
        }
        if (e instanceof JdbcParameter p && p.getIndex() != null) {
            return Bound.parameter(p.getIndex(), reading(offset));
        }
        throw new Refusal(what + " " + e + " across shards (only a number or a ? parameter)");
    }

    void windows(PlainSelect ps) {
        ExpressionVisitorAdapter<Void> finder = new ExpressionVisitorAdapter<>() {
            @Override
            public <S> Void visit(AnalyticExpression e, S context) {
                String name = e.getName().toUpperCase(Locale.ROOT);
                if (e.getType() == AnalyticType.FILTER_ONLY) {
                    throw new Refusal("aggregate " + name + " with FILTER (WHERE ...) across shards");
                }
                if (e.getType() == AnalyticType.WITHIN_GROUP) {
                    throw new Refusal("aggregate " + name + " WITHIN GROUP across shards");
                }
                throw new Refusal("window function " + name
                        + " across shards (it would number or aggregate each shard's rows apart)");
            }

            @Override
            public <S> Void visit(ParenthesedSelect s, S context) {
                return null;
            }
        };
        for (SelectItem<?> item : ps.getSelectItems()) {
            item.getExpression().accept(finder, null);
        }
        if (ps.getOrderByElements() != null) {
            for (OrderByElement o : ps.getOrderByElements()) {
                o.getExpression().accept(finder, null);
            }
        }
        if (ps.getWindowDefinitions() != null && !ps.getWindowDefinitions().isEmpty()) {
            throw new Refusal("WINDOW clause across shards");
        }
    }

    /**
     * Shards return offset+count rows each: enough for any global window of the merged order
     * (with ties: their ties too). No shard limit when the count reads as none; a count known only
     * at execution, or one the database fails on, becomes {@link MergeSpec#LIMIT_TOKEN}.
     */
    void limitShards(PlainSelect ps, Bound offset, Bound count) {
        if (count == null) {
            return;
        }
        long rows = -1;
        if (count.parameter() == 0 && (offset == null || offset.parameter() == 0)) {
            try {
                rows = Bound.plus(count.resolve(null), offset == null ? 0 : offset.resolve(null));
            } catch (SQLException fails) {
                rows = -1; // fails again, as the database would, when the statement runs
            }
        }
        if (rows == Bound.ALL) {
            return;
        }
        Expression n = rows >= 0 ? new LongValue(rows) : new Column(MergeSpec.LIMIT_TOKEN);
        if (count.withTies()) {
            Fetch f = new Fetch();
            f.setFetchParamFirst(true);
            f.setExpression(n);
            f.addFetchParameter("ROWS");
            f.addFetchParameter("WITH TIES");
            ps.setFetch(f);
            return;
        }
        Limit l = new Limit();
        l.setRowCount(n);
        ps.setLimit(l);
    }

    /** The shard SQL of the rewritten tree, with the statement parameter each of its {@code ?} takes. */
    ShardParameters.Rendered render(Statement st) {
        try {
            return ShardParameters.render(st, SqlText.countParameters(sql, dialect), dialect);
        } catch (ShardParameters.Unmapped e) {
            throw new Refusal(e.getMessage() + " in a SELECT merged across shards");
        }
    }
}
