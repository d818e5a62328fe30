package io.shardkit.exec;

import io.shardkit.RefusedException;
import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.pool.ShardRegistry;
import io.shardkit.sql.Dialect;
import io.shardkit.sql.SqlAnalysis;
import io.shardkit.sql.StatementKind;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

/**
 * What a connection pinned to one shard ({@code ShardedDataSource.connectionTo}, a
 * {@code ShardingKey}) still refuses, although it skips routing and the allowlist.
 *
 * <ul>
 * <li>On a <b>read-only</b> shard (every archive shard): every statement but a SELECT whose every
 * node the allowlist knows ({@link SqlAnalysis#readsOnly}), and COMMIT / ROLLBACK. An allowlist, not a
 * list of bad statements: {@code BEGIN READ WRITE}, {@code START TRANSACTION READ WRITE},
 * {@code SET SESSION CHARACTERISTICS}, {@code SET TRANSACTION}, {@code SET default_transaction_read_only},
 * {@code RESET ALL}, {@code SELECT set_config(...)} and anything else that could make the pooled
 * connection writable never reach it. Stored procedure calls and unwrapping to the driver's
 * connection are refused there too. The database's own refusal (a role with SELECT only, SQLite's
 * read-only open mode: see README, "Read-only at the database") stays the last word; this keeps a
 * pooled connection from being changed behind the pool's back.
 * <li>On a <b>SQLite</b> shard: {@code ATTACH} and {@code DETACH} (a hot connection could attach an
 * archive file read-write and change it) and {@code VACUUM INTO} (writes a new file). The pools also
 * open SQLite with the attached-database limit at 0, so the database refuses ATTACH on any path.
 * </ul>
 *
 * <p>Cost: one branch per statement on a pinned connection to a writable non-SQLite shard; on SQLite
 * a scan of the leading keyword of statements the analysis could not classify.
 */
public final class PinnedGuard {
    /** SQLState of a write refused on a read-only shard (PostgreSQL's read_only_sql_transaction). */
    public static final String READ_ONLY = SqlStates.READ_ONLY_SQL_TRANSACTION;

    private PinnedGuard() {
    }

    /** Refuses what a pinned connection to {@code shard} must not run (see the class comment). */
    public static void check(ShardRegistry registry, int shard, SqlAnalysis a) throws SQLException {
        if (registry.spec(shard).readOnly()) {
            if (a.readsOnly() || (a.kind() == StatementKind.COMMIT || a.kind() == StatementKind.ROLLBACK)
                    && a.shape() != SqlAnalysis.Shape.REFUSED && a.shape() != SqlAnalysis.Shape.INVALID) {
                return;
            }
            String name = registry.name(shard);
            String what = a.kind() == StatementKind.SELECT && a.problem() != null ? "this SELECT: " + a.problem()
                    : a.kind() == StatementKind.OTHER ? "this statement" : "this " + a.kind();
            throw new ShardException("shard " + name + " is read-only: a connection pinned to it runs only SELECT"
                    + " statements shardkit knows entirely, and COMMIT/ROLLBACK (" + what + "); transaction modes and"
                    + " session settings (BEGIN READ WRITE, SET ..., set_config) are refused so its pooled connection"
                    + " stays read-only [sql: " + ShardException.shorten(a.sql()) + "]", READ_ONLY, 0, name, null);
        }
        if (registry.dialect(shard) == Dialect.SQLITE && a.kind() == StatementKind.OTHER) {
            String word = leadingWord(a.sql(), 0);
            boolean vacuumInto = word.equals("VACUUM") && a.sql().toUpperCase(java.util.Locale.ROOT).contains("INTO");
            if (word.equals("ATTACH") || word.equals("DETACH") || vacuumInto) {
                throw new RefusedException((vacuumInto ? "VACUUM INTO" : word) + " on SQLite shard "
                        + registry.name(shard) + ": it opens or writes another database file (an archive file attached"
                        + " from a hot connection is writable there); shardkit never attaches databases: each file is"
                        + " a shard of its own", a.sql());
            }
        }
    }

    /** Refuses a stored procedure call on a read-only shard (a procedure may write). */
    public static void checkCall(ShardRegistry registry, int shard, String sql) throws SQLException {
        if (registry.spec(shard).readOnly()) {
            String name = registry.name(shard);
            throw new ShardException("shard " + name + " is read-only: a stored procedure call on it is refused (a"
                    + " procedure may write or change the session) [sql: " + ShardException.shorten(sql) + "]",
                    READ_ONLY, 0, name, null);
        }
    }

    /** Refuses handing out the driver's own connection (or one of its interfaces) of a read-only shard. */
    public static void checkUnwrap(ShardRegistry registry, int shard, Class<?> iface) throws SQLException {
        if (registry.spec(shard).readOnly()) {
            throw new SQLFeatureNotSupportedException("unwrap(" + iface.getName() + ") on a connection pinned to"
                    + " read-only shard " + registry.name(shard) + ": the driver's connection would run SQL past"
                    + " shardkit's read-only rule; run SELECTs through the pinned connection",
                    SqlStates.FEATURE_NOT_SUPPORTED);
        }
    }

    /**
     * The first word of a SQL text in upper case, after white space and comments ({@code --} to the
     * end of the line, {@code /* ... *}{@code /}); empty when there is none.
     */
    public static String leadingWord(String sql, int from) {
        int i = from;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                break;
            }
        }
        int start = i;
        while (i < n && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        return sql.substring(start, i).toUpperCase(java.util.Locale.ROOT);
    }
}
