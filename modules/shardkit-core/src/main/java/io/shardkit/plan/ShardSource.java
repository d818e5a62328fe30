package io.shardkit.plan;

import io.shardkit.PlanNode;
import io.shardkit.merge.Cursor;
import java.sql.SQLException;
import java.util.List;

/** A node that yields one cursor per shard, for a merge node above it: a {@link Scatter}, or a {@link Shadow} over one. */
public interface ShardSource extends PlanNode {

    /** Opens every shard's cursor, in route order; on failure closes those already open. */
    List<Cursor> openAll(Execution execution) throws SQLException;
}
