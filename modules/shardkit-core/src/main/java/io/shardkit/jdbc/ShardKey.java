package io.shardkit.jdbc;

import java.sql.SQLType;
import java.sql.ShardingKey;
import java.sql.ShardingKeyBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * A JDBC 4.3 sharding key: the shard key value(s) a connection is pinned by. Made with
 * {@code ShardedDataSource.createShardingKeyBuilder().subkey(value, type).build()}.
 */
public record ShardKey(List<Object> values) implements ShardingKey {

    public ShardKey {
        values = List.copyOf(values);
    }

    public static ShardingKeyBuilder builder() {
        return new ShardingKeyBuilder() {
            private final List<Object> values = new ArrayList<>();

            @Override
            public ShardingKeyBuilder subkey(Object value, SQLType type) {
                values.add(value);
                return this;
            }

            @Override
            public ShardingKey build() {
                return new ShardKey(values);
            }
        };
    }
}
