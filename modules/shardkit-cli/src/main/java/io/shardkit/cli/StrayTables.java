package io.shardkit.cli;

import io.shardkit.ShardedDataSource;
import io.shardkit.config.ShardSpec;
import io.shardkit.config.TableRule;
import io.shardkit.config.TableSplit;
import io.shardkit.route.SplitCatalog;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tables in the shards' catalogs that no rule of the map explains, for {@code shardkit check}:
 * (a) a table shaped like a split table's physical name (the pattern's prefix and suffix around
 * digits for {@code {n}} and calendar layouts, letters and digits for {@code {hex}} and
 * {@code {name}}) whose suffix the rule never produces ({@code matches_17} with mod 16);
 * (b) a physical table of a split table on a shard its strategy never routes to; (c) with
 * {@code unmapped}, a table the map does not name, on a shard other than the default shard (where
 * such tables are read). Tables named by the map are never reported. Shards that are down are
 * skipped. Each finding is one line naming the shard, the table and the rule. Reads each shard's
 * catalog once.
 */
final class StrayTables {
    private StrayTables() {
    }

    static List<String> of(ShardedDataSource ds, boolean unmapped) throws SQLException {
        List<String> out = new ArrayList<>();
        Map<String, String> down = ds.downShards();
        Map<String, TableRule> rules = ds.shardMap().tables();
        for (ShardSpec spec : ds.shardMap().shards()) {
            if (down.containsKey(spec.name())) {
                continue;
            }
            for (String table : tables(ds, spec.name())) {
                String finding = finding(ds, spec.name(), table, rules, unmapped);
                if (finding != null) {
                    out.add(spec.name() + ": " + finding);
                }
            }
        }
        return out;
    }

    private static String finding(ShardedDataSource ds, String shard, String table, Map<String, TableRule> rules,
            boolean unmapped) {
        if (rules.containsKey(table)) {
            return null;
        }
        for (TableRule rule : rules.values()) {
            if (rule.isSplit() && rule.split().suffixOf(table) != null) {
                if (rule.strategy().shards().contains(shard)) {
                    return null;
                }
                return table + " is a physical table of " + rule.table() + " on a shard its strategy never routes to ("
                        + rule.strategy().describe() + ")";
            }
        }
        for (TableRule rule : rules.values()) {
            if (rule.isSplit() && looksLike(rule.split(), table)) {
                return table + " matches no rule: " + rule.table() + " is split by " + rule.split().column() + " "
                        + rule.split().rule().describe() + " into " + range(rule.split());
            }
        }
        if (unmapped && !shard.equals(ds.shardMap().defaultShard())) {
            return table + " is not in the map" + (ds.shardMap().defaultShard() == null ? ""
                    : " (tables the map does not name are read on " + ds.shardMap().defaultShard() + ")");
        }
        return null;
    }

    /**
     * Whether {@code name} has the shape of one of the split's physical tables, produced or not: the
     * pattern's text around a suffix of the placeholder's kind.
     */
    static boolean looksLike(TableSplit split, String name) {
        String pattern = split.pattern().toLowerCase(Locale.ROOT);
        int open = pattern.indexOf('{');
        String prefix = pattern.substring(0, open);
        String rest = pattern.substring(pattern.indexOf('}', open) + 1);
        String n = name.toLowerCase(Locale.ROOT);
        if (n.length() <= prefix.length() + rest.length() || !n.startsWith(prefix) || !n.endsWith(rest)) {
            return false;
        }
        String suffix = n.substring(prefix.length(), n.length() - rest.length());
        return switch (TableSplit.placeholder(split.pattern()).kind()) {
            case "number" -> suffix.matches("[0-9]+");
            case "calendar" -> suffix.matches("[0-9][0-9_w]*");
            default -> suffix.matches("[a-z0-9]+");
        };
    }

    private static String range(TableSplit split) {
        List<String> all = split.rule().suffixes();
        if (all == null || all.isEmpty()) {
            return split.pattern();
        }
        return split.physical(all.get(0)) + (all.size() == 1 ? "" : ".." + split.physical(all.get(all.size() - 1)));
    }

    /** The tables of the shard's schema (PostgreSQL), database (MySQL) or main database (SQLite), lower case. */
    private static List<String> tables(ShardedDataSource ds, String shard) throws SQLException {
        try (Connection c = ds.connectionTo(shard)) {
            List<String> out = new ArrayList<>(SplitCatalog.tableNames(c));
            out.sort(null);
            return out;
        }
    }
}
