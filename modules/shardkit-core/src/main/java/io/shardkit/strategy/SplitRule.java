package io.shardkit.strategy;

import io.shardkit.ShardException;
import java.util.List;

/** STUB (replaced by the split-config branch). */
public interface SplitRule {
    String suffix(String table, Object value) throws ShardException;

    List<String> suffixes();

    List<String> suffixesBetween(Object low, boolean lowInclusive, Object high, boolean highInclusive);

    String reason(Object value);

    String describe();
}
