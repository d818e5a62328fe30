package io.shardkit;

import io.shardkit.config.ShardSpec;
import io.shardkit.config.TableRule;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Column differences between the shards that hold each table of the map: a sharded table's
 * strategy shards and its archive shards, every hot shard for a broadcast table. A schema change
 * that reached some shards only makes merged reads refuse ("different columns") and catalog
 * metadata leave the column out; {@code shardkit check} reports it with this. Shards that are down
 * are skipped. Each difference is one line naming the table, the shard and the columns.
 */
public final class SchemaDrift {
    private SchemaDrift() {
    }

    /** Every difference found, or an empty list when the shards holding each table agree. */
    public static List<String> of(ShardedDataSource ds) throws SQLException {
        List<String> out = new ArrayList<>();
        Map<String, String> down = ds.downShards();
        for (TableRule rule : ds.shardMap().tables().values()) {
            List<String> shards = new ArrayList<>();
            for (String s : holders(ds, rule)) {
                if (!down.containsKey(s)) {
                    shards.add(s);
                }
            }
            if (shards.size() < 2) {
                continue;
            }
            List<String> first = columns(ds, shards.get(0), rule.table());
            for (int i = 1; i < shards.size(); i++) {
                List<String> other = columns(ds, shards.get(i), rule.table());
                if (!other.equals(first)) {
                    out.add(describe(rule.table(), shards.get(0), first, shards.get(i), other));
                }
            }
        }
        return out;
    }

    private static List<String> holders(ShardedDataSource ds, TableRule rule) {
        List<String> shards = new ArrayList<>();
        switch (rule.kind()) {
            case SHARDED -> {
                shards.addAll(rule.strategy().shards());
                if (rule.archive() != null) {
                    shards.addAll(rule.archive().shards());
                }
            }
            case BROADCAST -> {
                for (ShardSpec spec : ds.shardMap().shards()) {
                    if (!ShardSpec.ARCHIVE.equals(spec.tier())) {
                        shards.add(spec.name());
                    }
                }
            }
            case PINNED -> shards.add(rule.shard());
        }
        return new ArrayList<>(new LinkedHashSet<>(shards));
    }

    /** The table's columns on one shard, in order, as "name TYPE"; empty when the shard lacks the table. */
    private static List<String> columns(ShardedDataSource ds, String shard, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.connectionTo(shard); ResultSet rs = c.getMetaData().getColumns(null, null, table, null)) {
            while (rs.next()) {
                out.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT) + " "
                        + String.valueOf(rs.getString("TYPE_NAME")).toUpperCase(Locale.ROOT));
            }
        }
        return out;
    }

    private static String describe(String table, String a, List<String> first, String b, List<String> other) {
        if (other.isEmpty()) {
            return "table " + table + ": shard " + b + " lacks the table that shard " + a + " has";
        }
        if (first.isEmpty()) {
            return "table " + table + ": shard " + a + " lacks the table that shard " + b + " has";
        }
        Set<String> missing = new LinkedHashSet<>(first);
        missing.removeAll(other);
        Set<String> extra = new LinkedHashSet<>(other);
        extra.removeAll(first);
        if (missing.isEmpty() && extra.isEmpty()) {
            return "table " + table + ": shard " + b + " has the columns of shard " + a + " in another order " + other;
        }
        return "table " + table + ": shard " + b + (missing.isEmpty() ? "" : " lacks " + missing + " that shard " + a + " has")
                + (missing.isEmpty() || extra.isEmpty() ? "" : ", and") + (extra.isEmpty() ? "" : " has " + extra
                + " that shard " + a + " has not");
    }
}
