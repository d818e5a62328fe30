package io.shardkit;

/**
 * Where does a new row go? Called once per INSERTed row with the value of the table's shard key.
 *
 * <p>Must be thread-safe and fast: it runs on every insert. Must answer with a shard of the map;
 * an unknown shard fails the statement with a {@link ShardException} naming the chooser.
 */
@FunctionalInterface
public interface ShardChooser {
    /**
     * @param table the logical table, lower case
     * @param key the shard key value as bound or written in the SQL (never {@code null})
     */
    ShardChoice chooseShard(String table, Object key) throws ShardException;
}
