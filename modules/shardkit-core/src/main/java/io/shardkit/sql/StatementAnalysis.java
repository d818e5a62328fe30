package io.shardkit.sql;

import static io.shardkit.sql.Analyzer.distinct;
import static io.shardkit.sql.Analyzer.name;
import static io.shardkit.sql.Analyzer.value;

import io.shardkit.config.ShardMap;
import io.shardkit.config.TableRule;
import io.shardkit.strategy.BucketStrategy;
import io.shardkit.strategy.Strategy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Commit;
import net.sf.jsqlparser.statement.RollbackStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.view.CreateView;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;
import net.sf.jsqlparser.statement.upsert.Upsert;

/**
 * The analysis of one statement against the shard map, made once per SQL text by {@link Analyzer}:
 * {@link #run} walks the statement kind by kind, and {@link #resolve} decides its shape from the
 * tables it names. Its parts live beside it: {@link FromClause} (table references, aliases and
 * conjuncts), {@link ShardKeyPredicates} (key values, joins on keys), {@link MergeConstructs},
 * {@link InsertAnalysis}, {@link ShardKeyUpdate}, {@link DdlRouting}, {@link OverSubquery} and
 * {@link TierFacts}.
 */
final class StatementAnalysis {
    final Analyzer analyzer;
    final ShardMap map;
    final Dialect dialect;
    final String sql;
    StatementKind kind = StatementKind.OTHER;
    final List<String> allTables = new ArrayList<>();
    final List<String> merge = new ArrayList<>();
    Expression updateWhere;
    Expression deleteWhere;
    String targetText;
    boolean forUpdate;
    /** The tables a write changes (its target; for multi-table UPDATE/DELETE every table it sets or deletes from). */
    final Set<String> targets = new LinkedHashSet<>();
    /** The first call of a volatile function (RANDOM(), NOW(), a sequence), or {@code null}. */
    String volatileCall;
    /** A SELECT every node of which the allowlist knows: it reads and changes nothing (see {@link SqlAnalysis#readsOnly}). */
    boolean readsOnly;

    final FromClause from;
    private final ShardKeyPredicates keyPredicates;
    /** {SET value, WHERE value} of an UPDATE that sets the shard key to the value its WHERE pins it to. */
    ValueRef[] keySet;
    String keySetRefusal;

    StatementAnalysis(Analyzer analyzer, ShardMap map, Dialect dialect, String sql) {
        this.analyzer = analyzer;
        this.map = map;
        this.dialect = dialect;
        this.sql = sql;
        this.from = new FromClause(map, merge);
        this.keyPredicates = new ShardKeyPredicates(from);
    }

    /** The statement, its every table reference (subqueries included) and, when pinned, its subqueries' key values. */
    Statement root;
    List<String> everyReference = List.of();
    /** Whether the statement defines a CTE (a CTE read twice is a self-join that {@link #everyReference} does not show). */
    boolean ctes;
    List<ValueRef> subqueryPins;

    int shardedReferences(Map<String, TableRule> sharded) {
        int n = 0;
        for (String t : everyReference) {
            n += sharded.containsKey(t) ? 1 : 0;
        }
        return n;
    }

    SqlAnalysis run(Statement st) {
        root = st;
        TableFinder finder = new TableFinder();
        try {
            finder.getTables(st);
        } catch (UnsupportedOperationException e) {
            // some statement kinds are not walked by the finder; their tables come from below
        }
        List<String> top = without(finder.top, finder.cteNames);
        List<String> nested = without(finder.nested, finder.cteNames);
        everyReference = concat(top, nested);
        ctes = !finder.cteNames.isEmpty();
        kind = kindOf(st);
        Allowlist.Verdict verdict = Allowlist.check(st);
        if (verdict.refusal() != null) {
            return refused(distinct(concat(top, nested)), verdict.refusal());
        }
        if (verdict.anyArrayCall() != null && dialect != Dialect.POSTGRESQL) {
            // = ANY(array) is PostgreSQL's; elsewhere it stays an unknown function, as before
            return refused(distinct(concat(top, nested)), ExpressionAllowlist.unknownFunction(verdict.anyArrayCall()));
        }
        volatileCall = verdict.volatileCall();
        readsOnly = st instanceof Select && !verdict.locking();
        if (verdict.connectionStateCall() != null) {
            if (st instanceof Select && top.isEmpty() && nested.isEmpty()) {
                return plain(StatementKind.SELECT).withConnectionState();
            }
            return refused(distinct(concat(top, nested)), verdict.connectionStateCall() + " in a statement that"
                    + " names tables (it answers for one physical connection, which the routing may not pick);"
                    + " read it alone with SELECT " + verdict.connectionStateCall() + " and bind the value");
        }
        if (st instanceof PlainSelect ps && st.getClass() == PlainSelect.class) {
            SqlAnalysis over = new OverSubquery(this).of(ps, top, nested);
            if (over != null) {
                return over;
            }
        }
        if (st instanceof Select select) {
            new MergeConstructs(this).select(select);
        } else if (st instanceof Insert insert) {
            targets.add(name(insert.getTable().getName()));
            return new InsertAnalysis(this).insert(insert, insert.getTable(), insert.getColumns(), insert.getSelect(), top, nested);
        } else if (st instanceof Upsert upsert) {
            targets.add(name(upsert.getTable().getName()));
            return new InsertAnalysis(this).insert(upsert, upsert.getTable(), upsert.getColumns(), upsert.getSelect(), top, nested);
        } else if (st instanceof Merge merge) {
            targets.add(name(merge.getTable().getName()));
            TableRule rule = map.tables().get(name(merge.getTable().getName()));
            if (rule != null && rule.isSharded()) {
                return refused(distinct(concat(top, nested)), "MERGE into sharded table " + rule.table()
                        + " (the rows it changes are chosen by the join, not by the shard key); write them with"
                        + " INSERT ... ON CONFLICT / UPDATE by key");
            }
        } else if (st instanceof Update update) {
            updateWhere = update.getWhere();
            targetText = update.getTable().toString();
            from.addFrom(update.getTable());
            from.addFrom(update.getFromItem());
            from.joins(update.getStartJoins(), false);
            from.joins(update.getJoins(), false);
            from.conjuncts(update.getWhere());
            targets.add(from.aliasTable(update.getTable()));
            for (UpdateSet set : update.getUpdateSets()) {
                for (Column c : set.getColumns()) {
                    if (c.getTable() != null && c.getTable().getName() != null) {
                        String t = from.aliases.get(name(c.getTable().getName()));
                        targets.add(t == null ? name(c.getTable().getName()) : t);
                    }
                }
            }
            limitedWrite(update.getOrderByElements(), update.getLimit());
            SqlAnalysis refused = new ShardKeyUpdate(this).updatesKey(update, top, nested);
            if (refused != null) {
                return refused;
            }
        } else if (st instanceof Delete delete) {
            deleteWhere = delete.getWhere();
            targetText = delete.getTable() == null ? null : delete.getTable().toString();
            from.addFrom(delete.getTable());
            if (delete.getUsingFromItemList() != null) {
                for (FromItem item : delete.getUsingFromItemList()) {
                    from.addFrom(item);
                }
            }
            from.joins(delete.getJoins(), false);
            from.conjuncts(delete.getWhere());
            if (delete.getTables() != null && !delete.getTables().isEmpty()) {
                for (Table t : delete.getTables()) {
                    targets.add(from.aliasTable(t));
                }
            } else if (delete.getTable() != null) {
                targets.add(from.aliasTable(delete.getTable()));
            }
            limitedWrite(delete.getOrderByElements(), delete.getLimit());
        } else if (st instanceof CreateTable c) {
            return ddl(List.of(c.getTable()));
        } else if (st instanceof CreateIndex c) {
            return ddl(List.of(c.getTable()));
        } else if (st instanceof Drop d) {
            return "TABLE".equalsIgnoreCase(d.getType()) ? ddl(List.of(d.getName())) : everyShard();
        } else if (st instanceof Alter a) {
            return ddl(List.of(a.getTable()));
        } else if (st instanceof Truncate t) {
            return ddl(t.getTables() != null && !t.getTables().isEmpty() ? t.getTables() : List.of(t.getTable()));
        } else if (st instanceof Commit) {
            return plain(StatementKind.COMMIT);
        } else if (st instanceof RollbackStatement) {
            return plain(StatementKind.ROLLBACK);
        } else {
            return refused(distinct(concat(top, nested)), "the statement " + st.getClass().getSimpleName());
        }
        return resolve(top, nested);
    }

    private SqlAnalysis ddl(List<Table> tables) {
        return new DdlRouting(this).ddl(tables);
    }

    private SqlAnalysis everyShard() {
        return new DdlRouting(this).everyShard();
    }

    /** What the statement does, from its class alone (so a refused statement still counts as a write). */
    StatementKind kindOf(Statement st) {
        if (st instanceof Select) {
            return StatementKind.SELECT;
        }
        if (st instanceof Insert || st instanceof Upsert || st instanceof Merge) {
            return StatementKind.INSERT;
        }
        if (st instanceof Update) {
            return StatementKind.UPDATE;
        }
        if (st instanceof Delete) {
            return StatementKind.DELETE;
        }
        if (st instanceof CreateTable || st instanceof CreateIndex || st instanceof Drop || st instanceof Alter
                || st instanceof Truncate || st instanceof CreateView) {
            return StatementKind.DDL;
        }
        return StatementKind.OTHER;
    }

    /**
     * MySQL's {@code UPDATE/DELETE ... ORDER BY ... LIMIT n}: each shard would apply the LIMIT to
     * its own rows, so such a write may run on one shard only.
     */
    void limitedWrite(List<OrderByElement> order,
            Limit limit) {
        if (limit != null) {
            merge.add(SqlAnalysis.UNMERGEABLE + kind + " ... LIMIT over several shards (each shard would apply"
                    + " the LIMIT to its own rows)");
        } else if (order != null && !order.isEmpty()) {
            merge.add("ORDER BY");
        }
    }

    List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    List<String> without(List<String> names, Set<String> cte) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (!cte.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    SqlAnalysis plain(StatementKind k) {
        return new SqlAnalysis(sql, k, SqlAnalysis.Shape.NO_TABLE, List.of(), null, null, null, null, null,
                List.of(), null, null, dialect);
    }

    // ---- shape ----

    SqlAnalysis resolve(List<String> top, List<String> nested) {
        List<String> tables = new ArrayList<>(top);
        tables.addAll(nested);
        tables = distinct(tables);
        Set<String> pinnedShards = new LinkedHashSet<>();
        Map<String, TableRule> sharded = new LinkedHashMap<>();
        boolean broadcast = false;
        for (String t : tables) {
            TableRule rule = map.tables().get(t);
            if (rule == null) {
                if (map.defaultShard() == null) {
                    return invalid(tables, notInMap(t));
                }
                pinnedShards.add(map.defaultShard());
            } else if (rule.kind() == TableRule.Kind.PINNED) {
                pinnedShards.add(rule.shard());
            } else if (rule.kind() == TableRule.Kind.BROADCAST) {
                broadcast = true;
            } else {
                sharded.put(t, rule);
            }
        }
        if (pinnedShards.size() > 1) {
            return refused(tables, "the statement joins tables that live on different shards " + pinnedShards);
        }
        String pinned = pinnedShards.isEmpty() ? null : pinnedShards.iterator().next();
        String badWrite = broadcastWrite(tables);
        if (badWrite != null) {
            return refused(tables, badWrite);
        }
        if (sharded.isEmpty()) {
            SqlAnalysis.Shape shape = pinned != null ? SqlAnalysis.Shape.PINNED
                    : broadcast ? SqlAnalysis.Shape.BROADCAST : SqlAnalysis.Shape.NO_TABLE;
            return new SqlAnalysis(sql, kind, shape, tables, pinned, null, null, null, null, merge, null, null, dialect);
        }
        Strategy strategy = null;
        String first = null;
        for (TableRule rule : sharded.values()) {
            if (strategy == null) {
                strategy = rule.strategy();
                first = rule.table();
            } else if (!strategy.equals(rule.strategy())) {
                return refused(tables, "tables " + first + " (" + strategy.describe() + ") and " + rule.table()
                        + " (" + rule.strategy().describe() + ") are not co-located; a statement over both is not supported");
            }
        }
        // a bucket table may be spread over more shards by a new epoch after this analysis is cached
        boolean multiShard = strategy.shards().size() > 1 || strategy instanceof BucketStrategy;
        for (String n : nested) {
            if (sharded.containsKey(n) && multiShard) {
                SubqueryPins pins = new SubqueryPins(map);
                String why = root instanceof Select select ? pins.of(select, shardedReferences(sharded))
                        : "it is in a " + kind;
                for (TableRule rule : sharded.values()) {
                    why = why == null && rule.isTiered() ? "table " + rule.table() + " is tiered" : why;
                }
                if (why != null) {
                    return refused(tables, "subquery over sharded table " + n
                            + " (it would see only the rows of one shard): " + why);
                }
                subqueryPins = pins.values();
                break;
            }
        }
        // every reference to a sharded table, a self-join's two aliases apart
        Map<String, String> refs = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : from.instances.entrySet()) {
            if (sharded.containsKey(e.getValue())) {
                refs.put(e.getKey(), e.getValue());
            }
        }
        List<String> topSharded = new ArrayList<>();
        for (String t : distinct(top)) {
            if (sharded.containsKey(t)) {
                topSharded.add(t);
                if (!refs.containsValue(t)) {
                    refs.put(t, t); // named outside the FROM this analysis walks (a set operation's branch)
                }
            }
        }
        if (refs.size() > 1 && multiShard && !keyPredicates.joinedOnKeys(refs, sharded)) {
            return refused(tables, "tables " + ShardKeyPredicates.describe(refs) + " are not joined on their shard keys ("
                    + keyPredicates.keyEquality(refs, sharded) + "); the join would miss rows on other shards");
        }
        List<ValueRef> keys = subqueryPins != null ? subqueryPins : keyPredicates.keyValues(sharded);
        String routed = !refs.isEmpty() ? refs.values().iterator().next()
                : topSharded.isEmpty() ? sharded.keySet().iterator().next() : topSharded.get(0);
        SqlAnalysis analysis = new SqlAnalysis(sql, kind, SqlAnalysis.Shape.SHARDED, tables, pinned, routed, strategy,
                keys, null, merge, null, null, dialect);
        if (keySet != null) {
            analysis.withKeySet(keySet[0], keySet[1], keySetRefusal);
        }
        if (subqueryPins != null) {
            analysis.withSameShard();
        }
        TableRule rule = sharded.get(routed);
        if (keys == null && rule.idOf() != null && multiShard) {
            analysis.withIdValues(rule.idOf().column(), keyPredicates.idValues(sharded));
        }
        if (rule.isSplit() && !rule.split().column().equals(rule.keyColumn())) {
            analysis.withSplitBounds(SplitBounds.of(from, everyReference, routed, rule.split().column()));
        }
        if (rule.isSplit()) {
            analysis.withEachTableOnce(!ctes && new java.util.HashSet<>(everyReference).size() == everyReference.size());
        }
        return rule.isTiered() ? analysis.withTiering(new TierFacts(this).tiering(rule, sharded.size() > 1)) : analysis;
    }

    /**
     * Why a write to a broadcast table cannot be answered exactly, or {@code null}: every copy is
     * written on its own shard, so the statement must read only tables every shard holds alike and
     * must compute the same values on every shard.
     */
    String broadcastWrite(List<String> tables) {
        if (!kind.isWrite() || kind == StatementKind.DDL) {
            return null;
        }
        for (String target : targets) {
            TableRule rule = map.tables().get(target);
            if (rule == null || rule.kind() != TableRule.Kind.BROADCAST) {
                continue;
            }
            for (String t : tables) {
                TableRule other = map.tables().get(t);
                if (other == null || other.kind() != TableRule.Kind.BROADCAST) {
                    return "a write to broadcast table " + target + " that reads or writes " + t
                            + ", which is not on every shard alike (each shard would write its copy from its own"
                            + " rows, and the copies would differ)";
                }
            }
            if (volatileCall != null) {
                return "a write to broadcast table " + target + " using " + volatileCall + ", which gives each"
                        + " copy its own value; compute the value once and bind it as a ? parameter";
            }
            for (String c : merge) {
                if (c.startsWith(SqlAnalysis.UNMERGEABLE)) {
                    return kind + " ... LIMIT on broadcast table " + target + " (each copy could change"
                            + " other rows)";
                }
            }
        }
        return null;
    }

    SqlAnalysis refused(List<String> tables, String why) {
        return new SqlAnalysis(sql, kind, SqlAnalysis.Shape.REFUSED, tables, null, null, null, null, null,
                List.of(), null, why, dialect);
    }

    SqlAnalysis invalid(List<String> tables, String why) {
        return new SqlAnalysis(sql, kind, SqlAnalysis.Shape.INVALID, tables, null, null, null, null, null,
                List.of(), null, why, dialect);
    }

    String notInMap(String table) {
        return "table " + table + " is not in the shard map and the map has no defaultShard";
    }
}
