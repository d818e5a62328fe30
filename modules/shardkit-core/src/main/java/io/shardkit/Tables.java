package io.shardkit;

import io.shardkit.config.ShardMap;
import io.shardkit.config.TableRule;
import io.shardkit.pool.ShardRegistry;
import io.shardkit.route.SplitCatalog;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The physical tables of the map's split tables ({@code ds.tables()}): what each shard's catalog
 * holds, and forgetting what was read so the next statement reads it again (after another data
 * source or a tool created a table).
 */
public final class Tables {
    private final ShardMap map;
    private final ShardRegistry registry;
    private final SplitCatalog catalog;

    Tables(ShardMap map, ShardRegistry registry, SplitCatalog catalog) {
        this.map = map;
        this.registry = registry;
        this.catalog = catalog;
    }

    /** Forgets what is known of a split table's physical tables; the next statement naming it reads each shard's catalog. */
    public void refresh(String table) throws ShardException {
        rule(table);
        catalog.forget(table);
    }

    /** Each shard of a split table with the physical tables its catalog holds now, sorted by name. */
    public Map<String, List<String>> physical(String table) throws SQLException {
        TableRule rule = rule(table);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String shard : rule.strategy().shards()) {
            try (Connection c = registry.borrow(registry.indexOf(shard))) {
                out.put(shard, SplitCatalog.read(c, rule.split()));
            } catch (SQLException e) {
                throw ShardException.fromShard(shard, null, e);
            }
        }
        return out;
    }

    private TableRule rule(String table) throws ShardException {
        TableRule rule = table == null ? null : map.tables().get(table.toLowerCase(Locale.ROOT));
        if (rule == null || !rule.isSplit() || catalog == null) {
            throw new ShardException("'" + table + "' is not a split table of the map", ShardException.ROUTING);
        }
        return rule;
    }
}
