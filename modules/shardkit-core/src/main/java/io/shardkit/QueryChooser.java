package io.shardkit;

/**
 * Which shards must a statement without a usable shard-key predicate run on? The default answer
 * is {@link Targets#all(String)}: every shard of the table.
 */
@FunctionalInterface
public interface QueryChooser {
    /**
     * @param table the logical table, lower case
     * @param sql the statement as the application wrote it
     */
    Targets chooseShards(String table, String sql) throws ShardException;
}
