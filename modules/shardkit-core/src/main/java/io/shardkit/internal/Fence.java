package io.shardkit.internal;

import java.sql.SQLException;

/**
 * The text of a move's fence (docs/RESHARDING.md, "The move", step 5): the trigger that refuses
 * writes to a moving bucket on its old shard raises an error whose message holds {@value #PREFIX}.
 * Here because the trigger's author ({@code reshard}) and the executor that recovers from the
 * refusal ({@code exec}) may not use each other's packages.
 */
public final class Fence {
    /** The start of every fence error's message text. */
    public static final String PREFIX = "shardkit fence:";

    private Fence() {
    }

    /**
     * True when {@code e}, or an exception it chains (causes, then next exceptions), holds
     * {@value #PREFIX} in its message: pgjdbc prefixes {@code ERROR: }, the SQLite driver wraps
     * the RAISE text and gives no SQLState, MariaDB Connector/J prefixes the connection id, and
     * shardkit's own wrappers add the shard name, so the text is looked for anywhere in a message.
     */
    public static boolean is(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() != null ? t.getCause()
                : t instanceof SQLException s ? s.getNextException() : null) {
            if (t.getMessage() != null && t.getMessage().contains(PREFIX)) {
                return true;
            }
        }
        return false;
    }
}
