package io.shardkit.plan;

import io.shardkit.PlanNode;
import io.shardkit.merge.Cursor;
import java.sql.SQLException;

/** A plan node that produces rows: opening it opens its inputs, closing the cursor closes them. */
public interface RowSource extends PlanNode {

    Cursor open(Execution execution) throws SQLException;
}
