package io.shardkit.exec;

import io.shardkit.ShardException;
import io.shardkit.config.TableRule;
import io.shardkit.config.TableSplit;
import io.shardkit.merge.Values;
import io.shardkit.pool.ShardRegistry;
import io.shardkit.sql.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The questions a scatter asks the shards' catalogs while it merges (text order, declared and
 * nondeterministic collations, enum order, which ids the hot shards hold), each asked on the
 * connection the shard's query reads on when there is one, so no second pool connection is needed.
 */
final class ScatterCatalog {
    private final Session session;
    private final ShardRegistry registry;
    private final int[] shards;
    private Values values;
    /** The connection each shard's query reads on, by registry index, for catalog lookups during the merge. */
    private final Connection[] reading;
    private java.util.Map<String, Boolean> deterministic;

    ScatterCatalog(Session session, ShardRegistry registry, int[] shards) {
        this.session = session;
        this.registry = registry;
        this.shards = shards;
        this.reading = new Connection[registry.size()];
    }

    /** The connection a shard's query reads on, borrowed for this read. */
    void reads(int shard, Connection c) {
        if (shard < reading.length) {
            reading[shard] = c;
        }
    }

    private Connection catalogConnectionOrNull(int shard) {
        try {
            return catalogConnection(shard);
        } catch (SQLException e) {
            return null;
        }
    }

    /**
     * A connection to ask a shard's catalog on while the merge reads: the one its query reads on
     * (a second statement on it; no second pool connection is needed), or the logical connection's.
     * {@code null}: borrow one.
     */
    private Connection catalogConnection(int shard) throws SQLException {
        Connection c = shard < reading.length ? reading[shard] : null;
        if (c != null && !c.isClosed()) {
            return c;
        }
        return ScatterConnections.autoCommit(session) ? session.held(shard) : session.physical(shard);
    }

    java.util.Set<Object> present(List<String> hotShards, String table, String idColumn, List<Object> ids)
            throws SQLException {
        java.util.Set<Object> found = new java.util.HashSet<>();
        if (ids.isEmpty()) {
            return found;
        }
        StringBuilder sql = new StringBuilder("SELECT ").append(idColumn).append(" FROM ").append(table)
                .append(" WHERE ").append(idColumn).append(" IN (");
        for (int i = 0; i < ids.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        sql.append(')');
        for (String name : hotShards) {
            int shard = registry.indexOf(name);
            Connection held = ScatterConnections.autoCommit(session) ? session.held(shard) : session.physical(shard);
            Connection c = held != null ? held : registry.borrow(shard);
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < ids.size(); i++) {
                    ps.setObject(i + 1, ids.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(values().identity(rs.getObject(1)));
                    }
                }
            } catch (SQLException e) {
                throw ShardException.fromShard(name, sql.toString(), e);
            } finally {
                if (held == null) {
                    c.close();
                }
            }
        }
        return found;
    }

    Values values() {
        if (values == null) {
            Dialect dialect = registry.dialect(shards[0]);
            boolean binary = true;
            for (int s : shards) {
                binary &= registry.dialect(s) == dialect && registry.binaryTextOrder(s, catalogConnectionOrNull(s));
            }
            values = new Values(dialect, binary);
        }
        return values;
    }

    /**
     * Reads the table's CREATE statement from each shard's {@code sqlite_master} (one local query
     * per shard and table per execution; the parse is cached by statement text, so a table
     * dropped and created again with other collations is seen at once).
     */
    String declaredCollation(String table, String column) throws SQLException {
        String name = table.replace("\"", "").replace("`", "");
        if (name.indexOf('.') >= 0) {
            if (!name.regionMatches(true, 0, "main.", 0, 5)) {
                return null;
            }
            name = name.substring(5);
        }
        TableRule rule = registry.map().tables().get(name.toLowerCase(Locale.ROOT));
        TableSplit split = rule == null ? null : rule.split();
        String found = null;
        for (int s : shards) {
            if (registry.dialect(s) != Dialect.SQLITE) {
                return null;
            }
            List<Object> creates = split == null
                    ? catalogQuery(s, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE", name)
                    : splitCreates(s, split);
            if (creates.isEmpty()) {
                return null;
            }
            for (Object create : creates) { // a split table: every physical table must agree
                String coll = create == null ? null : SqliteCollations.of((String) create).get(SqliteCollations.key(column));
                if (coll == null || found != null && !found.equals(coll)) {
                    return null;
                }
                found = coll;
            }
        }
        return found;
    }

    /** The CREATE statements of a split table's physical tables on a SQLite shard. */
    private List<Object> splitCreates(int shard, TableSplit split) throws SQLException {
        List<Object> out = new ArrayList<>();
        Connection held = catalogConnection(shard);
        Connection c = held != null ? held : registry.borrow(shard);
        try (PreparedStatement ps = c.prepareStatement("SELECT name, sql FROM sqlite_master WHERE type = 'table'");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (split.suffixOf(rs.getString(1).toLowerCase(Locale.ROOT)) != null) {
                    out.add(rs.getString(2));
                }
            }
        } finally {
            if (held == null) {
                c.close();
            }
        }
        return out;
    }

    /** One {@code pg_enum} lookup per shard and type per execution (ALTER TYPE ... ADD VALUE is seen at once). */
    java.util.Map<String, Integer> enumOrder(String type) throws SQLException {
        java.util.Map<String, Integer> agreed = null;
        for (int s : shards) {
            java.util.Map<String, Integer> order = new java.util.HashMap<>();
            try {
                for (Object label : catalogQuery(s, "SELECT enumlabel FROM pg_enum WHERE enumtypid = to_regtype(?)"
                        + " ORDER BY enumsortorder", type)) {
                    order.put((String) label, order.size());
                }
            } catch (SQLException e) {
                return null;
            }
            if (order.isEmpty() || agreed != null && !agreed.equals(order)) {
                return null;
            }
            agreed = order;
        }
        return agreed;
    }

    /** One {@code pg_collation} lookup per shard and collation per execution. */
    Boolean deterministicCollation(String collation) throws SQLException {
        if (deterministic == null) {
            deterministic = new java.util.HashMap<>();
        }
        if (deterministic.containsKey(collation)) {
            return deterministic.get(collation);
        }
        Boolean all = Boolean.TRUE;
        for (int s : shards) {
            try {
                List<Object> rows = catalogQuery(s, "SELECT collisdeterministic FROM pg_collation"
                        + " WHERE oid = to_regcollation(?)", collation);
                if (rows.isEmpty() || !Boolean.TRUE.equals(rows.get(0))) {
                    all = null;
                }
            } catch (SQLException e) {
                all = null;
            }
            if (all == null) {
                break;
            }
        }
        deterministic.put(collation, all);
        return all;
    }

    /**
     * The first column of a one-parameter catalog query on a shard, on the connection the read
     * already holds there when it has one (so a pool of one connection cannot deadlock), else on
     * one borrowed for the query.
     */
    private List<Object> catalogQuery(int shard, String sql, String parameter) throws SQLException {
        Connection held = catalogConnection(shard);
        Connection c = held != null ? held : registry.borrow(shard);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            List<Object> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1));
                }
            }
            return out;
        } finally {
            if (held == null) {
                c.close();
            }
        }
    }

}
