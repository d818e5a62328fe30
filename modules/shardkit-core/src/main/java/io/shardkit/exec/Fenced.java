package io.shardkit.exec;

import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.internal.Fence;
import java.sql.SQLException;

/**
 * A write that a move's fence refused on a bucket's old shard (docs/RESHARDING.md, "The move",
 * step 6): this data source routed by an epoch the mover has since replaced, or is about to. The
 * map is re-read from the control shard at once ({@link Refresh}); {@link Executor#run} then runs
 * an autocommit statement once more, routed by the new epoch, and otherwise raises the retryable
 * error built here: SQLState {@value SqlStates#SERIALIZATION_FAILURE} on every driver (SQLite's
 * fence carries no SQLState). Costs nothing until a statement fails. Internal.
 */
public final class Fenced {
    /** Reads the versioned map now, as a poll does, switching to newer epochs; see {@link #NONE}. */
    @FunctionalInterface
    public interface Refresh {
        void now() throws SQLException;
    }

    /** The refresh of a data source without {@code resharding:}: there is no versioned map to read. */
    public static final Refresh NONE = () -> { };

    private Fenced() {
    }

    /** Whether {@code e} is a fence's refusal ({@link Fence#is}). */
    static boolean is(SQLException e) {
        return Fence.is(e);
    }

    /** Runs {@code refresh}; answers its error, or {@code null}: a failed refresh leaves the live map as it is. */
    static SQLException refresh(Refresh refresh) {
        try {
            refresh.now();
            return null;
        } catch (SQLException e) {
            return e;
        } catch (RuntimeException e) {
            return new SQLException("reading the versioned map failed: " + e, SqlStates.GENERAL_ERROR, e);
        }
    }

    /** What was done after the refusal, for {@link #error}. */
    static final int IN_TRANSACTION = 0, RETRIED = 1, BATCH = 2;

    /**
     * The retryable error of a fenced statement, naming the shard that refused it; {@code e} is
     * kept as the cause, {@code refreshFailed} (if any) as a suppressed exception.
     *
     * @param done {@link #IN_TRANSACTION} (not retried: the transaction is to roll back),
     *        {@link #RETRIED} (an autocommit statement retried once and refused again) or {@link #BATCH}
     *        (an autocommit batch, not retried)
     */
    static ShardException error(SQLException e, String sql, int done, SQLException refreshFailed) {
        String shard = shardOf(e);
        String message = "shard map changed: shard " + shard + " refused the write because a bucket it writes is"
                + " moving to another shard (" + Fence.PREFIX + " ...); the map was re-read"
                + (done == IN_TRANSACTION ? ": roll the transaction back and retry it"
                        : done == RETRIED ? " and the statement retried once, and it was refused again: retry it"
                        : "; the batch was not retried (entries before the refused one may have been applied, see"
                        + " the update counts): retry the entries that did not run")
                + (refreshFailed == null ? "" : " (re-reading the map failed: " + refreshFailed.getMessage() + ")")
                + (sql == null ? "" : " [sql: " + ShardException.shorten(sql) + "]");
        ShardException out = new ShardException(message, SqlStates.SERIALIZATION_FAILURE, e.getErrorCode(), shard, e);
        if (refreshFailed != null) {
            out.addSuppressed(refreshFailed);
        }
        return out;
    }

    /** The shard named by the first {@link ShardException} in {@code e}'s causes, or "?" when none names one. */
    private static String shardOf(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ShardException s && s.shard() != null) {
                return s.shard();
            }
        }
        return "?";
    }
}
