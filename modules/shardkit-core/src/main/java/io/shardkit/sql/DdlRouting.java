package io.shardkit.sql;

import static io.shardkit.sql.Analyzer.name;

import io.shardkit.config.TableRule;
import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.schema.Table;

/** The shards a DDL statement runs on: every shard that holds its tables, which must be the same shards. */
final class DdlRouting {
    private final StatementAnalysis a;

    DdlRouting(StatementAnalysis a) {
        this.a = a;
    }

    SqlAnalysis ddl(List<Table> targets) {
        a.kind = StatementKind.DDL;
        List<String> names = new ArrayList<>();
        List<String> shards = null;
        for (Table t : targets) {
            String table = name(t.getName());
            names.add(table);
            List<String> s = shardsHolding(table);
            if (s == null) {
                return a.invalid(names, a.notInMap(table));
            }
            if (shards != null && !shards.equals(s)) {
                return a.refused(names, "DDL over tables that live on different shards (" + shards + " and " + s
                        + "); run one statement per table");
            }
            shards = s;
        }
        return new SqlAnalysis(a.sql, a.kind, SqlAnalysis.Shape.PINNED, names, null, null, null, null, null,
                List.of(), shards, null, a.dialect);
    }

    /** DDL whose table is not known (DROP INDEX, DROP VIEW): every shard, like the schema it changes. */
    SqlAnalysis everyShard() {
        a.kind = StatementKind.DDL;
        return new SqlAnalysis(a.sql, a.kind, SqlAnalysis.Shape.PINNED, List.of(), null, null, null, null, null,
                List.of(), a.map.shardNames(), null, a.dialect);
    }

    List<String> shardsHolding(String table) {
        TableRule rule = a.map.tables().get(table);
        if (rule == null) {
            return a.map.defaultShard() == null ? null : List.of(a.map.defaultShard());
        }
        return switch (rule.kind()) {
            case SHARDED -> rule.strategy().shards();
            case BROADCAST -> a.map.shardNames();
            case PINNED -> List.of(rule.shard());
        };
    }
}
