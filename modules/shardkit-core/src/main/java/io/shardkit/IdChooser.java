package io.shardkit;

/**
 * Which shards may hold a key? Used for {@code key = ?} and {@code key IN (...)} in SELECT,
 * UPDATE and DELETE. The candidates are tried in order for point reads (hot before archive, say).
 *
 * <p>Must be thread-safe and fast: it runs on every keyed statement.
 */
@FunctionalInterface
public interface IdChooser {
    /**
     * @param table the logical table, lower case
     * @param key the shard key value as bound or written in the SQL (never {@code null})
     */
    Candidates candidates(String table, Object key) throws ShardException;
}
