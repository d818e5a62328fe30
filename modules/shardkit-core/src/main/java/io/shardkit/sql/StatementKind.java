package io.shardkit.sql;

/** What a statement does, as far as routing cares. */
public enum StatementKind {
    SELECT, INSERT, UPDATE, DELETE, DDL, COMMIT, ROLLBACK, OTHER;

    /** Whether the statement changes data or schema (refused on read-only shards, pinned in transactions). */
    public boolean isWrite() {
        return this == INSERT || this == UPDATE || this == DELETE || this == DDL;
    }
}
