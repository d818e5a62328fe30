package io.shardkit;

import io.shardkit.config.ShardMap;
import io.shardkit.config.TableRule;
import io.shardkit.jdbc.ShardKey;
import io.shardkit.strategy.Strategy;
import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.SQLException;
import java.sql.ShardingKey;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * JDBC 4.3's connection builder of a {@link ShardedDataSource}: with a sharding key, a connection
 * pinned to the key's shard ({@link ShardedDataSource#createConnectionBuilder()} says how the shard
 * is found); without one, a routing connection. User and password are ignored (they are per shard,
 * in the map).
 */
final class KeyedConnectionBuilder implements ConnectionBuilder {
    private final ShardedDataSource ds;
    private final ShardMap map;
    private ShardKey key;
    private ShardKey superKey;

    KeyedConnectionBuilder(ShardedDataSource ds, ShardMap map) {
        this.ds = ds;
        this.map = map;
    }

    @Override
    public ConnectionBuilder user(String username) {
        return this;
    }

    @Override
    public ConnectionBuilder password(String password) {
        return this;
    }

    @Override
    public ConnectionBuilder shardingKey(ShardingKey shardingKey) {
        key = (ShardKey) shardingKey;
        return this;
    }

    @Override
    public ConnectionBuilder superShardingKey(ShardingKey superShardingKey) {
        superKey = (ShardKey) superShardingKey;
        return this;
    }

    @Override
    public Connection build() throws SQLException {
        if (key == null) {
            return ds.getConnection();
        }
        return ds.connectionTo(shardOf(key, superKey));
    }

    private String shardOf(ShardKey key, ShardKey superKey) throws SQLException {
        if (key.values().size() != 1) {
            throw new ShardException("a sharding key must have exactly one subkey (the shard key value), got "
                    + key.values().size(), ShardException.ROUTING);
        }
        TableRule rule;
        if (superKey != null) {
            String table = String.valueOf(superKey.values().get(0)).toLowerCase(Locale.ROOT);
            rule = map.tables().get(table);
            if (rule == null || !rule.isSharded()) {
                throw new ShardException("super sharding key names '" + table + "', which is not a sharded table of the map",
                        ShardException.ROUTING);
            }
        } else {
            Set<Strategy> strategies = new LinkedHashSet<>();
            rule = null;
            for (TableRule r : map.tables().values()) {
                if (r.isSharded()) {
                    strategies.add(r.strategy());
                    rule = r;
                }
            }
            if (strategies.size() != 1) {
                throw new ShardException("the map has " + strategies.size() + " different strategies; name the table in "
                        + "a super sharding key: superShardingKey(createShardingKeyBuilder().subkey(\"players\", "
                        + "JDBCType.VARCHAR).build())", ShardException.ROUTING);
            }
        }
        return rule.strategy().candidates(rule.table(), key.values().get(0)).shards().get(0);
    }
}
