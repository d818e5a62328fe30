package io.shardkit;

import io.shardkit.config.ShardMap;
import io.shardkit.config.TableRule;
import io.shardkit.config.TableSplit;
import io.shardkit.pool.ShardRegistry;
import io.shardkit.route.SplitCatalog;
import io.shardkit.route.SplitCreation;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The physical tables of the map's split tables ({@code ds.tables()}): what each shard's catalog
 * holds, and forgetting what was read so the next statement reads it again (after another data
 * source or a tool created a table); creating the coming periods' tables ahead; dropping one.
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

    /** Forgets what is known of the physical tables in a tenant's schema (dropped, or changed by its DDL). */
    void forgetSchema(String schema) {
        if (catalog != null) {
            catalog.forgetSchema(schema);
        }
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

    /**
     * Retention: drops one physical table of a split table ({@code drop("orders", "orders_202401",
     * "orders_202401")}) on every shard that holds it, and returns those shards. {@code confirmation}
     * must be the physical name again, and the name one the split's rule makes; anything else refuses
     * (SQLState {@value Tenants#NOT_CONFIRMED}, or {@link ShardException#ROUTING}) before any shard is
     * touched. DROP is not atomic across databases: a failure names its shard, and the shards named
     * before it have dropped the table.
     */
    public List<String> drop(String table, String physical, String confirmation) throws SQLException {
        TableRule rule = rule(table);
        String name = physical == null ? null : physical.toLowerCase(Locale.ROOT);
        if (name == null || rule.split().suffixOf(name) == null) {
            throw new ShardException("'" + physical + "' is not a physical table of split table " + rule.table() + " ("
                    + rule.split().pattern() + ")", ShardException.ROUTING);
        }
        if (!physical.equals(confirmation)) {
            throw new ShardException("dropping " + physical + " deletes every row in it on every shard; to confirm, pass"
                    + " its name again: ds.tables().drop(\"" + table + "\", \"" + physical + "\", \"" + physical
                    + "\")", Tenants.NOT_CONFIRMED);
        }
        List<String> dropped = new ArrayList<>();
        try {
            for (Map.Entry<String, List<String>> e : physical(table).entrySet()) {
                if (!e.getValue().contains(name)) {
                    continue;
                }
                try (Connection c = registry.borrow(registry.indexOf(e.getKey())); Statement st = c.createStatement()) {
                    st.execute("DROP TABLE " + name);
                } catch (SQLException x) {
                    throw ShardException.fromShard(e.getKey(), "DROP TABLE " + name, x);
                }
                dropped.add(e.getKey());
            }
        } finally {
            catalog.forget(table);
        }
        return dropped;
    }

    /**
     * {@code create: {ahead: N}} now, for a daily job: on every shard of the table, makes the
     * physical tables of the current period and the next N that the shard lacks (from the template,
     * else like its newest table) and returns the data nodes made, e.g. {@code s0.orders_202612}
     * (none when all exist; a table another data source made at the same moment is not listed).
     * Statements make the same tables on their own when they first use a shard and when the period
     * turns; this call does not wait for one. Refuses (SQLState {@link ShardException#ROUTING}) a
     * table without {@code create: {ahead: N}}. Not atomic across shards: a failure names its shard,
     * and the tables listed before it stay.
     */
    public List<String> createAhead(String table) throws SQLException {
        TableRule rule = rule(table);
        TableSplit split = rule.split();
        if (split.create() != TableSplit.Create.AHEAD) {
            throw new ShardException("split table " + rule.table() + " is not created ahead (create: "
                    + (split.create() == TableSplit.Create.NEVER ? "never" : "onFirstWrite") + "); set split.create to"
                    + " {ahead: N}", ShardException.ROUTING);
        }
        List<String> window = SplitCatalog.ahead(split, catalog.clock().instant());
        List<String> made = new ArrayList<>();
        try {
            for (String shard : rule.strategy().shards()) {
                int i = registry.indexOf(shard);
                try (Connection c = registry.borrow(i)) {
                    List<String> existing = SplitCatalog.read(c, split);
                    for (String name : window) {
                        if (existing.contains(name)) {
                            continue;
                        }
                        SplitCreation how = SplitCreation.of(rule.table(), split, name, existing);
                        if (how == null) {
                            throw SplitCreation.nothingToCopy(rule.table(), shard, name);
                        }
                        if (how.run(c, registry.dialect(i))) {
                            made.add(shard + "." + name);
                        }
                    }
                } catch (ShardException e) {
                    throw e;
                } catch (SQLException e) {
                    throw ShardException.fromShard(shard, null, e);
                }
            }
        } finally {
            catalog.forget(rule.table());
        }
        return made;
    }

    /**
     * The clock that says which period is current for {@code create: {ahead: N}} (UTC system time
     * unless set): for tests, or to make a coming period's tables early. Setting it forgets what
     * was read of every split table.
     */
    public void clock(Clock clock) {
        if (catalog == null) {
            throw new IllegalStateException("the map has no split table");
        }
        catalog.clock(clock);
    }

    private TableRule rule(String table) throws ShardException {
        TableRule rule = table == null ? null : map.tables().get(table.toLowerCase(Locale.ROOT));
        if (rule == null || !rule.isSplit() || catalog == null) {
            throw new ShardException("'" + table + "' is not a split table of the map", ShardException.ROUTING);
        }
        return rule;
    }
}
