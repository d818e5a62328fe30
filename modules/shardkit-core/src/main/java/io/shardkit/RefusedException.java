package io.shardkit;

import java.sql.SQLFeatureNotSupportedException;

/**
 * A statement shardkit will not run because its result across shards could not be computed
 * exactly, or because it would break a promise (a transaction writing to two shards).
 * SQLState {@code 0A000}. The message names the construct, the tables and the SQL.
 *
 * <p>Refusing is the alternative to a silently wrong answer; it is never used for bad input.
 */
public final class RefusedException extends SQLFeatureNotSupportedException {
    private static final long serialVersionUID = 1L;

    public static final String SQL_STATE = SqlStates.FEATURE_NOT_SUPPORTED;

    public RefusedException(String message, String sql) {
        super(message + " [sql: " + ShardException.shorten(sql) + "]", SQL_STATE);
    }
}
