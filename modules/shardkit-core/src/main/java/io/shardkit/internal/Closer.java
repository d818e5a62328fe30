package io.shardkit.internal;

import java.sql.SQLException;

/**
 * Closing many resources, or running many cleanup actions, so that every one is tried and the
 * first {@link SQLException} is the one thrown; the later ones are added to it as suppressed.
 *
 * <p>Two forms. An instance collects failures across steps that differ
 * ({@code closer.run(...)}, {@code closer.add(e)}, then {@link #throwFirst()}); the static
 * {@link #closeAll} closes a list of one kind. {@link #keep} is the rule itself, for loops that
 * also wrap each error (naming its shard) before keeping it, and {@link #runAfter} runs a cleanup
 * after a failure that stays the one reported. Not thread-safe. No allocation on the path where
 * nothing fails, other than what the caller's action captures.
 */
public final class Closer {

    /** A cleanup step that may fail. */
    @FunctionalInterface
    public interface Action {
        void run() throws SQLException;
    }

    /** How to close one resource of a kind, e.g. {@code Cursor::close}. */
    @FunctionalInterface
    public interface Close<T> {
        void close(T resource) throws SQLException;
    }

    private SQLException first;

    /** Keeps {@code e} if it is the first failure, else adds it to the first as suppressed. */
    public void add(SQLException e) {
        first = keep(first, e);
    }

    /** Runs {@code action}, keeping its failure. */
    public void run(Action action) {
        try {
            action.run();
        } catch (SQLException e) {
            add(e);
        }
    }

    /** Closes {@code resource} (nothing when it is {@code null}), keeping its failure. */
    public <T> void close(T resource, Close<? super T> close) {
        if (resource == null) {
            return;
        }
        try {
            close.close(resource);
        } catch (SQLException e) {
            add(e);
        }
    }

    /** The first failure so far (the later ones suppressed in it), or {@code null}. */
    public SQLException first() {
        return first;
    }

    /** Throws the first failure, if there was one. */
    public void throwFirst() throws SQLException {
        if (first != null) {
            throw first;
        }
    }

    /**
     * The failure to report: {@code kept} when there is one already (with {@code next} added to it
     * as suppressed), else {@code next}. Either may be {@code null}.
     */
    public static SQLException keep(SQLException kept, SQLException next) {
        if (kept == null) {
            return next;
        }
        if (next != null && next != kept) {
            kept.addSuppressed(next);
        }
        return kept;
    }

    /** Closes every resource (skipping {@code null}s), then throws the first failure, the rest suppressed in it. */
    public static <T> void closeAll(Iterable<? extends T> resources, Close<? super T> close) throws SQLException {
        SQLException failed = null;
        for (T r : resources) {
            if (r == null) {
                continue;
            }
            try {
                close.close(r);
            } catch (SQLException e) {
                failed = keep(failed, e);
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /**
     * Runs {@code cleanup} after {@code failure}, which stays the error reported: a failure of the
     * cleanup is added to it as suppressed.
     */
    public static void runAfter(Throwable failure, Action cleanup) {
        try {
            cleanup.run();
        } catch (SQLException e) {
            if (e != failure) {
                failure.addSuppressed(e);
            }
        }
    }
}
