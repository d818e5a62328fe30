package io.shardkit.strategy;

import io.shardkit.IdChooser;
import io.shardkit.QueryChooser;
import io.shardkit.ShardChooser;
import java.util.List;

/**
 * The three choosers of one sharded table, plus the shards the table lives on. Built-in
 * strategies implement all three; {@link Strategies#custom} adapts a user object implementing
 * any of them.
 *
 * <p>Two tables are co-located (may be joined on their keys in one statement) when their
 * strategies are {@link Object#equals equal}: same kind, same parameters, same shards.
 */
public interface Strategy extends ShardChooser, IdChooser, QueryChooser {

    /** The shards the table lives on, in order; DDL and key-less statements run on these. */
    List<String> shards();

    /** One line for explain and errors, e.g. {@code mod 4 over [s0, s1, s2, s3]}. */
    String describe();
}
