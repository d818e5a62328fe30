/**
 * Value semantics of merging rows from several shards, one dialect's rules at a time: comparison
 * and sort order ({@code Values}, {@code RowOrder}, collations), aggregate states
 * ({@code Accumulator}), arithmetic over merged values, LIMIT/OFFSET values, the Java type each
 * merged value takes, and the memory a merge may hold ({@code MemoryBudget}). {@link io.shardkit.merge.Cursor}
 * is the row stream every plan node reads and produces.
 *
 * <p>Internal: public only for shardkit's other packages. Applications may catch
 * {@link io.shardkit.merge.MergeLimitException} (a {@code ShardException}, SQLState {@code 54000}).
 */
package io.shardkit.merge;
