package io.shardkit.sql;

import java.util.List;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Commit;
import net.sf.jsqlparser.statement.ReturningClause;
import net.sf.jsqlparser.statement.RollbackStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;
import net.sf.jsqlparser.statement.upsert.Upsert;
import net.sf.jsqlparser.statement.upsert.UpsertType;

/**
 * Walks every node of a parsed statement and accepts it only when every node is one shardkit
 * positively understands; the first node it does not know refuses the statement, naming it. A
 * construct JSqlParser adds in a new version, or one forgotten here, is therefore refused, never
 * routed by guesswork (Vitess's planbuilder works the same way: unknown AST = unsupported).
 *
 * <p>Expressions are walked by {@link ExpressionAllowlist}, which calls back here for subqueries.
 *
 * <p>Structural nodes with many optional parts (a SELECT's clauses, a join, a table reference, a
 * function call) are checked by rebuilding them from the parts this class handles and comparing
 * the SQL text: a part it does not handle prints in the original only, so the texts differ.
 *
 * <p>Runs once per SQL text (the analysis is cached). What it accepts still goes through the
 * routing and merge analyses, which refuse what they cannot answer exactly across shards.
 */
final class Allowlist {
    /** Refuses the statement being walked; carries the reason. */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message, null, false, false);
        }
    }

    /** The SELECTs and clauses of the statement, walked by their own allowlist. */
    private final SelectAllowlist clauses = new SelectAllowlist();

    private Allowlist() {
    }

    /** The outcome: {@code refusal} is {@code null} when every node is known. */
    record Verdict(String refusal, String volatileCall, String connectionStateCall, boolean locking,
            String anyArrayCall) {
    }

    static Verdict check(Statement st) {
        Allowlist walk = new Allowlist();
        ExpressionAllowlist expressions = walk.clauses.expressions;
        try {
            walk.statement(st);
            return new Verdict(null, expressions.volatileCall(), expressions.connectionStateCall(), walk.clauses.locking,
                    expressions.anyArrayCall());
        } catch (Refusal r) {
            return new Verdict(r.getMessage(), expressions.volatileCall(), expressions.connectionStateCall(),
                    walk.clauses.locking, expressions.anyArrayCall());
        }
    }

    static Refusal unknown(String what) {
        return new Refusal(what + " is not something shardkit knows how to route; run it on a connection pinned to"
                + " one shard (ShardedDataSource.connectionTo)");
    }

    // ---------------------------------------------------------------- statements

    private void statement(Statement st) {
        if (st instanceof Select s) {
            clauses.select(s);
        } else if (st.getClass() == Insert.class) {
            insert((Insert) st);
        } else if (st.getClass() == Upsert.class) {
            upsert((Upsert) st);
        } else if (st.getClass() == Update.class) {
            update((Update) st);
        } else if (st.getClass() == Delete.class) {
            delete((Delete) st);
        } else if (st.getClass() == Merge.class) {
            return; // routed only between broadcast and pinned tables; the analyzer refuses the rest
        } else if (st.getClass() == CreateTable.class) {
            CreateTable c = (CreateTable) st;
            if (c.getSelect() != null) {
                throw new Refusal("CREATE TABLE ... AS SELECT through shardkit (each shard would fill the table from its"
                        + " own rows); create the table, then insert the rows");
            }
            clauses.table(c.getTable());
        } else if (st.getClass() == CreateIndex.class || st.getClass() == Drop.class || st.getClass() == Alter.class
                || st.getClass() == Truncate.class || st.getClass() == Commit.class) {
            return; // schema changes and COMMIT: routed by the table they name
        } else if (st.getClass() == RollbackStatement.class) {
            if (((RollbackStatement) st).getSavepointName() != null) {
                throw new Refusal("ROLLBACK TO SAVEPOINT as SQL text through shardkit; use Connection.rollback(Savepoint)");
            }
        } else if (st.getClass().getSimpleName().equals("SavepointStatement")) {
            throw new Refusal("SAVEPOINT as SQL text through shardkit; use Connection.setSavepoint()");
        } else {
            String kind = st.getClass().getSimpleName().replace("Statement", "");
            throw new Refusal("the statement " + kind + " (" + ShortText.of(st) + ") through shardkit: it may change"
                    + " the session or the transaction of a pooled connection, or act on another shard's data; use the"
                    + " JDBC API (setAutoCommit, setTransactionIsolation, setReadOnly, ...) or a connection pinned to"
                    + " one shard (ShardedDataSource.connectionTo)");
        }
    }

    private void insert(Insert insert) {
        if (insert.getOutputClause() != null || insert.getOracleHint() != null || insert.getPartitions() != null
                && !insert.getPartitions().isEmpty() || insert.getSetUpdateSets() != null
                && !insert.getSetUpdateSets().isEmpty() || insert.isOverwrite()
                || insert.isOverriding() || insert.isOracleMultiInsert() || insert.getRowAlias() != null
                || insert.getWithItemsList() != null && !insert.getWithItemsList().isEmpty()) {
            throw unknown("this form of INSERT (" + ShortText.of(insert) + ")");
        }
        clauses.table(insert.getTable());
        if (insert.getSelect() != null) {
            clauses.select(insert.getSelect());
        }
        if (insert.getConflictAction() != null) {
            var action = insert.getConflictAction();
            updateSets(action.getUpdateSets());
            clauses.expressions.expression(action.getWhereExpression());
        }
        if (insert.getConflictTarget() != null) {
            clauses.expressions.expression(insert.getConflictTarget().getWhereExpression());
        }
        updateSets(insert.getDuplicateUpdateSets());
        returning(insert.getReturningClause());
    }

    private void upsert(Upsert upsert) {
        UpsertType type = upsert.getUpsertType();
        if (type != UpsertType.REPLACE && type != UpsertType.INSERT_OR_REPLACE && type != UpsertType.INSERT_OR_IGNORE
                && type != UpsertType.INSERT_OR_ABORT && type != UpsertType.INSERT_OR_FAIL) {
            throw unknown("this form of upsert (" + ShortText.of(upsert) + ")");
        }
        if (upsert.getUpdateSets() != null && !upsert.getUpdateSets().isEmpty()
                || upsert.getDuplicateUpdateSets() != null && !upsert.getDuplicateUpdateSets().isEmpty()) {
            throw unknown("this form of upsert (" + ShortText.of(upsert) + ")");
        }
        clauses.table(upsert.getTable());
        if (upsert.getSelect() != null) {
            clauses.select(upsert.getSelect());
        }
    }

    private void update(Update update) {
        if (update.getOutputClause() != null || update.getOracleHint() != null || update.getForPortionClause() != null
                || update.getPreferringClause() != null || update.getOption() != null
                || update.getWithItemsList() != null && !update.getWithItemsList().isEmpty()) {
            throw unknown("this form of UPDATE (" + ShortText.of(update) + ")");
        }
        clauses.table(update.getTable());
        updateSets(update.getUpdateSets());
        if (update.getFromItem() != null) {
            clauses.fromItem(update.getFromItem());
        }
        clauses.joins(update.getStartJoins());
        clauses.joins(update.getJoins());
        clauses.expressions.expression(update.getWhere());
        clauses.orderBy(update.getOrderByElements());
        clauses.limit(update.getLimit());
        returning(update.getReturningClause());
    }

    private void delete(Delete delete) {
        if (delete.getOutputClause() != null || delete.getOracleHint() != null || delete.getForPortionClause() != null
                || delete.getPreferringClause() != null || delete.getOption() != null
                || delete.getWithItemsList() != null && !delete.getWithItemsList().isEmpty()) {
            throw unknown("this form of DELETE (" + ShortText.of(delete) + ")");
        }
        clauses.table(delete.getTable());
        if (delete.getTables() != null) {
            for (Table t : delete.getTables()) {
                clauses.table(t);
            }
        }
        if (delete.getUsingFromItemList() != null) {
            for (FromItem f : delete.getUsingFromItemList()) {
                clauses.fromItem(f);
            }
        }
        clauses.joins(delete.getJoins());
        clauses.expressions.expression(delete.getWhere());
        clauses.orderBy(delete.getOrderByElements());
        clauses.limit(delete.getLimit());
        returning(delete.getReturningClause());
    }

    private void updateSets(List<UpdateSet> sets) {
        if (sets == null) {
            return;
        }
        for (UpdateSet set : sets) {
            for (Column c : set.getColumns()) {
                clauses.expressions.column(c);
            }
            for (Expression e : set.getValues()) {
                clauses.expressions.expression(e);
            }
        }
    }

    private void returning(ReturningClause r) {
        if (r == null) {
            return;
        }
        if (r.getDataItems() != null && !r.getDataItems().isEmpty()) {
            throw unknown("RETURNING ... INTO");
        }
        clauses.selectItems(r);
    }

    /** A statement's text, cut short for a message. */
    static final class ShortText {
        private ShortText() {
        }

        static String of(Object node) {
            String s = String.valueOf(node).replaceAll("\\s+", " ").strip();
            return s.length() <= 60 ? s : s.substring(0, 57) + "...";
        }
    }
}
