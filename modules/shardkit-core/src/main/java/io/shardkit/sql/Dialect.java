package io.shardkit.sql;

/**
 * The SQL dialect of a shard, known from its JDBC URL, and the lexical facts of each: how its
 * database (and its JDBC driver, which finds the {@code ?} markers) reads quotes, comments and
 * operators. These facts live here and nowhere else; {@link SqlLexer} reads them.
 *
 * <p>{@link #OTHER} (a database shardkit has no facts for) is read as standard SQL, with the
 * constructs standard SQL leaves open (nested comments, backslashes before quotes) refused.
 */
public enum Dialect {
    SQLITE, POSTGRESQL, MYSQL, OTHER;

    public static Dialect fromUrl(String url) {
        if (url.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:")) {
            return MYSQL;
        }
        return OTHER;
    }

    /** The dialect of an open connection, by its database's product name. */
    public static Dialect of(java.sql.Connection c) throws java.sql.SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
        if (product.contains("sqlite")) {
            return SQLITE;
        }
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        return product.contains("mysql") || product.contains("mariadb") ? MYSQL : OTHER;
    }

    /** The database's name in messages. */
    public String displayName() {
        return switch (this) {
            case SQLITE -> "SQLite";
            case POSTGRESQL -> "PostgreSQL";
            case MYSQL -> "MySQL/MariaDB";
            case OTHER -> "the database";
        };
    }

    // ---- lexical facts: what the database reads where the parser may read something else ----

    /** A backslash escapes the next character in every {@code '...'} string (MySQL's default sql_mode). */
    public boolean backslashEscapesInStrings() {
        return this == MYSQL;
    }

    /** {@code E'...'} strings take backslash escapes; plain strings do not (PostgreSQL). */
    public boolean escapeStrings() {
        return this == POSTGRESQL;
    }

    /** {@code U&'...'} and {@code U&"..."} take Unicode escapes (PostgreSQL); the parser reads {@code U & '...'}. */
    public boolean unicodeEscapes() {
        return this == POSTGRESQL;
    }

    /** Two string literals with only space between are one string (MySQL always, PostgreSQL across lines). */
    public boolean adjacentStringsConcatenate() {
        return this == MYSQL || this == POSTGRESQL;
    }

    /** {@code "..."} is an identifier; otherwise a string constant (MySQL/MariaDB without ANSI_QUOTES). */
    public boolean doubleQuotedIdentifiers() {
        return this != MYSQL;
    }

    /** {@code `...`} is an identifier (MySQL, and SQLite for compatibility). */
    public boolean backtickIdentifiers() {
        return this == MYSQL || this == SQLITE;
    }

    /** {@code [...]} is an identifier (SQLite, for compatibility); the parser reads an array. */
    public boolean bracketIdentifiers() {
        return this == SQLITE;
    }

    /** {@code $$...$$} and {@code $tag$...$tag$} are string constants (PostgreSQL). */
    public boolean dollarQuotes() {
        return this == POSTGRESQL;
    }

    /** {@code $1}, {@code @x} are not what the parser reads: a positional parameter and the abs operator (PostgreSQL). */
    public boolean dollarNumberAndAtOperators() {
        return this == POSTGRESQL;
    }

    /** {@code :name}, {@code @name}, {@code $name} are bind parameters (SQLite). */
    public boolean namedParameters() {
        return this == SQLITE;
    }

    /** Block comments nest (PostgreSQL); elsewhere the first {@code *}{@code /} ends them. */
    public boolean nestedComments() {
        return this == POSTGRESQL;
    }

    /** A line comment ends at a carriage return too (PostgreSQL, as the parser); elsewhere only at a line feed. */
    public boolean lineCommentEndsAtCarriageReturn() {
        return this == POSTGRESQL;
    }

    /** {@code #} starts a line comment (MySQL/MariaDB). */
    public boolean hashComments() {
        return this == MYSQL;
    }

    /** {@code --} is a comment only when a space, a control character or the end follows (MySQL/MariaDB). */
    public boolean dashDashNeedsSpace() {
        return this == MYSQL;
    }

    /** {@code /*!...*}{@code /} and {@code /*M!...*}{@code /} are run, {@code /*+...*}{@code /} are hints (MySQL/MariaDB). */
    public boolean executableComments() {
        return this == MYSQL;
    }

    /** {@code ||} is OR (MySQL/MariaDB without PIPES_AS_CONCAT); elsewhere concatenation. */
    public boolean pipesAreOr() {
        return this == MYSQL;
    }

    /** {@code &&} is an operator on arrays and ranges (PostgreSQL's overlap); the parser reads AND. */
    public boolean ampersandsAreOverlap() {
        return this == POSTGRESQL;
    }

    /** The driver ends a block comment opened as {@code /*}{@code /} at once, the database does not (pgjdbc). */
    public boolean driverEndsSlashStarSlash() {
        return this == POSTGRESQL;
    }

    /** The driver reads {@code ??} as one literal {@code ?}, not as two parameters (pgjdbc). */
    public boolean doubledQuestionMarkIsLiteral() {
        return this == POSTGRESQL;
    }
}
