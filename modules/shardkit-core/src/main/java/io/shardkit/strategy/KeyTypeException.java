package io.shardkit.strategy;

import io.shardkit.ShardException;

/**
 * A shard key value a strategy cannot map to a shard: {@code 5.5} or {@code 'abc'} for a strategy
 * over integers. No row of such a table can hold it under that strategy's own rules, but the
 * database, not shardkit, decides what the comparison matches (PostgreSQL raises an error, SQLite
 * matches nothing, MySQL converts {@code 'abc'} to 0), so a read, UPDATE or DELETE with such a
 * key runs on every shard of the table; only an INSERT, which must pick one shard, fails with it.
 */
public final class KeyTypeException extends ShardException {
    private static final long serialVersionUID = 1L;

    KeyTypeException(String message) {
        super(message, ROUTING);
    }
}
