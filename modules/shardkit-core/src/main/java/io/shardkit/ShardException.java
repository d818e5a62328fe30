package io.shardkit;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * An error raised by shardkit itself, or a driver error re-thrown with the shard it came from.
 *
 * <p>When a shard's driver fails, the driver's SQLState and vendor code are kept, so code that
 * checks for a unique violation ({@code 23505}, MySQL 1062) works unchanged through shardkit;
 * the message gains the shard name and a short form of the SQL.
 */
public class ShardException extends SQLException {
    private static final long serialVersionUID = 1L;

    /** SQLState for a statement the choosers could not route (no key, unknown shard, ...). */
    public static final String ROUTING = SqlStates.GENERAL_ERROR;

    /** SQLState for a shard connection that could not be had (down, or its pool timed out). */
    public static final String UNREACHABLE = SqlStates.UNABLE_TO_CONNECT;

    /**
     * SQLState (implementation-defined class {@code SK}) for a write over several shards whose
     * commit failed on one shard after others had committed: the message names both sets. Not a
     * transient state: retrying the statement would apply it twice on the shards that committed.
     */
    public static final String PARTIAL_COMMIT = SqlStates.PARTIAL_COMMIT;

    private final String shard;

    public ShardException(String message, String sqlState) {
        this(message, sqlState, 0, null, null);
    }

    public ShardException(String message, String sqlState, int vendorCode, String shard, Throwable cause) {
        super(message, sqlState, vendorCode, cause);
        this.shard = shard;
    }

    /** Wraps a driver error from {@code shard}, keeping its SQLState and vendor code. */
    public static ShardException fromShard(String shard, String sql, SQLException e) {
        if (e instanceof ShardException se && se.shard != null) {
            return se;
        }
        String message = "shard " + shard + ": " + e.getMessage() + (sql == null ? "" : " [sql: " + shorten(sql) + "]");
        // HikariCP's pool timeout carries no SQLState of its own: it is a connection that could not be had
        String state = e.getSQLState() == null && e instanceof SQLTransientConnectionException ? UNREACHABLE
                : e.getSQLState();
        ShardException wrapped = new ShardException(message, state, e.getErrorCode(), shard, e);
        if (e.getNextException() != null) {
            wrapped.setNextException(e.getNextException());
        }
        return wrapped;
    }

    /** The shard whose driver raised this error, or {@code null} when shardkit raised it. */
    public String shard() {
        return shard;
    }

    /** The first 200 characters of {@code sql} on one line, for messages. */
    public static String shorten(String sql) {
        if (sql == null) {
            return "";
        }
        String oneLine = sql.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 197) + "...";
    }
}
