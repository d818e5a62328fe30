package io.shardkit.sql;

/** Lexical helpers over SQL text that need no parse. */
public final class SqlText {
    private SqlText() {
    }

    /**
     * Counts the {@code ?} parameter markers the dialect's driver finds: none inside string
     * literals, quoted identifiers, dollar quotes or comments as that database reads them (see
     * {@link SqlLexer#countParameters}). One pass, no allocation.
     */
    public static int countParameters(String sql, Dialect dialect) {
        return SqlLexer.countParameters(sql, dialect);
    }

    /**
     * Whether the analysis knows the function (by its unqualified name, any case): what it lets a
     * routed statement call. For tenancy's check of the expressions inside DDL, which the analysis
     * does not walk.
     */
    public static boolean knownFunction(String name) {
        return Functions.isKnown(name);
    }
}
