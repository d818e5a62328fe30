package io.shardkit.sql;

import static io.shardkit.sql.LexicalProblems.*;
import static io.shardkit.sql.SqlChars.*;

/**
 * Walks SQL text the way the shard's database (and its JDBC driver) reads it: which characters
 * are inside strings, quoted identifiers, dollar quotes and comments, where a statement ends,
 * and which {@code ?} are parameter markers. The facts of each dialect come from {@link Dialect}.
 *
 * <p>Two uses. {@link #problem} runs once per SQL text, before the parse, and names the first
 * construct the database and shardkit's parser (JSqlParser) may read differently, so the
 * analysis refuses it instead of trusting a parse that means something else: MySQL executable
 * comments and hints, {@code --} without a space and {@code #} comments on MySQL, {@code /*}
 * inside a comment where comments do not nest, {@code ||} and {@code "..."} on MySQL, backslash
 * escapes, tagged dollar quotes, unterminated strings and comments, several statements in one
 * text, and a few others. {@link #countParameters} counts the driver's {@code ?} markers.
 *
 * <p>One pass over the characters, no allocation (a message string only for a refused text).
 */
public final class SqlLexer {
    /** The start of the refusal of a text holding several statements (refused even on a pinned connection). */
    public static final String SEVERAL_STATEMENTS = "a SQL text holding more than one statement";

    private SqlLexer() {
    }

    /**
     * Why the database and shardkit's parser may read this text differently (the refusal, naming
     * the construct and where it is), or {@code null} when they read it alike. Several statements
     * in one text win over any other problem.
     */
    public static String problem(String sql, Dialect dialect) {
        long r = scan(sql, dialect, false);
        int code = (int) (r & 0xFF);
        return code == NONE ? null : LexicalProblems.message(code, (int) (r >>> 8), dialect);
    }

    /**
     * The {@code ?} parameter markers the shard's driver finds in the text: none inside strings,
     * quoted identifiers, dollar quotes or comments as that database reads them; {@code ??} is a
     * literal {@code ?} on PostgreSQL (pgjdbc).
     */
    public static int countParameters(String sql, Dialect dialect) {
        return (int) scan(sql, dialect, true);
    }

    /**
     * The one pass. Counting: returns the number of markers. Checking: returns the first problem
     * as {@code code | offset << 8} (several statements returned as soon as found), or {@link #NONE}.
     */
    private static long scan(String sql, Dialect d, boolean counting) {
        final boolean backslashStrings = d.backslashEscapesInStrings();
        final boolean escapeStrings = d.escapeStrings();
        final boolean adjacent = d.adjacentStringsConcatenate();
        final boolean doubleIdent = d.doubleQuotedIdentifiers();
        final boolean backtickIdent = d.backtickIdentifiers();
        final boolean bracketIdent = d.bracketIdentifiers();
        final boolean dollars = d.dollarQuotes();
        final boolean dollarNumber = d.dollarNumberAndAtOperators();
        final boolean named = d.namedParameters();
        final boolean nests = d.nestedComments();
        final boolean crEnds = d.lineCommentEndsAtCarriageReturn();
        final boolean hash = d.hashComments();
        final boolean dashSpace = d.dashDashNeedsSpace();
        final boolean executable = d.executableComments();
        final boolean pipesOr = d.pipesAreOr();
        final boolean overlap = d.ampersandsAreOverlap();
        final boolean doubledLiteral = d.doubledQuestionMarkIsLiteral();
        final boolean unicode = d.unicodeEscapes();
        final boolean slashStarSlash = d.driverEndsSlashStarSlash();

        int n = sql.length();
        int count = 0;
        int problem = NONE;
        int at = 0;
        int semicolon = -1;
        boolean inExecutable = false;
        boolean lastWasString = false;
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c <= ' ') {
                i++;
                continue;
            }
            char next = i + 1 < n ? sql.charAt(i + 1) : 0;
            boolean lineComment = (c == '-' && next == '-' && (!dashSpace || i + 2 >= n || isSpaceOrControl(sql.charAt(i + 2))))
                    || (c == '#' && hash);
            if (lineComment) {
                int j = i + (c == '#' ? 1 : 2);
                while (j < n) {
                    char k = sql.charAt(j);
                    if (k == '\n') {
                        break;
                    }
                    if (k == '\r') {
                        if (crEnds) {
                            break;
                        }
                        // the parser ends the comment at a lone carriage return, the database reads on
                        if ((j + 1 >= n || sql.charAt(j + 1) != '\n') && problem == NONE) {
                            problem = CARRIAGE_RETURN;
                            at = j;
                        }
                    }
                    j++;
                }
                if (c == '#' && problem == NONE) {
                    problem = HASH_COMMENT;
                    at = i;
                }
                i = j;
                continue;
            }
            if (c == '/' && next == '*') {
                if (executable && i + 2 < n && (sql.charAt(i + 2) == '!'
                        || (sql.charAt(i + 2) == 'M' && i + 3 < n && sql.charAt(i + 3) == '!'))) {
                    // the database runs what is inside: read it as code
                    if (problem == NONE) {
                        problem = EXECUTABLE_COMMENT;
                        at = i;
                    }
                    inExecutable = true;
                    i += sql.charAt(i + 2) == '!' ? 3 : 4;
                    continue;
                }
                if (executable && i + 2 < n && sql.charAt(i + 2) == '+' && problem == NONE) {
                    problem = HINT;
                    at = i;
                }
                if (slashStarSlash && i + 2 < n && sql.charAt(i + 2) == '/' && problem == NONE) {
                    problem = SLASH_STAR_SLASH;
                    at = i;
                }
                int depth = 1;
                int j = i + 2;
                while (j < n && depth > 0) {
                    char k = sql.charAt(j);
                    if (k == '*' && j + 1 < n && sql.charAt(j + 1) == '/') {
                        depth--;
                        j += 2;
                    } else if (k == '/' && j + 1 < n && sql.charAt(j + 1) == '*') {
                        if (nests) {
                            depth++;
                        } else if (problem == NONE) {
                            problem = NESTED_COMMENT;
                            at = j;
                        }
                        j += 2;
                    } else {
                        j++;
                    }
                }
                if (depth > 0 && problem == NONE) {
                    problem = UNTERMINATED_COMMENT;
                    at = i;
                }
                i = j;
                continue;
            }
            // a token of code starts here
            if (semicolon >= 0 && !counting) {
                return SEVERAL | (long) semicolon << 8;
            }
            boolean string = false;
            switch (c) {
                case '\'' -> {
                    if (adjacent && lastWasString && problem == NONE) {
                        problem = ADJACENT_STRINGS;
                        at = i;
                    }
                    boolean escapes = backslashStrings || (escapeStrings && escapePrefix(sql, i));
                    int j = i + 1;
                    boolean closed = false;
                    while (j < n) {
                        char k = sql.charAt(j);
                        if (k == '\\') {
                            if (problem == NONE && (escapes || (j + 1 < n && sql.charAt(j + 1) == '\''))) {
                                problem = backslashStrings ? BACKSLASH_MYSQL : escapes ? BACKSLASH_ESCAPE_STRING
                                        : BACKSLASH_QUOTE;
                                at = j;
                            }
                            j += escapes ? 2 : 1;
                        } else if (k == '\'') {
                            if (j + 1 < n && sql.charAt(j + 1) == '\'') {
                                j += 2;
                            } else {
                                closed = true;
                                break;
                            }
                        } else {
                            j++;
                        }
                    }
                    if (!closed && problem == NONE) {
                        problem = UNTERMINATED_STRING;
                        at = i;
                    }
                    i = j + 1;
                    string = true;
                }
                case '"' -> {
                    int j;
                    if (doubleIdent) {
                        j = closeQuoted(sql, i, '"');
                        if (backslashIn(sql, i, j) && problem == NONE) {
                            problem = BACKSLASH_NAME;
                            at = i;
                        }
                    } else {
                        // a string constant, with the database's backslash escapes
                        if (problem == NONE) {
                            problem = DOUBLE_QUOTED;
                            at = i;
                        }
                        j = closeString(sql, i, '"', backslashStrings);
                        string = true;
                    }
                    if (j < 0 && problem == NONE) {
                        problem = UNTERMINATED_IDENTIFIER;
                        at = i;
                    }
                    i = j < 0 ? n : j;
                }
                case '`' -> {
                    if (backtickIdent) {
                        int j = closeQuoted(sql, i, '`');
                        if (backslashIn(sql, i, j) && problem == NONE) {
                            // MySQL's driver reads \` as an escaped backtick; the database does not
                            problem = BACKSLASH_NAME;
                            at = i;
                        }
                        if (j < 0 && problem == NONE) {
                            problem = UNTERMINATED_IDENTIFIER;
                            at = i;
                        }
                        i = j < 0 ? n : j;
                    } else {
                        if (problem == NONE) {
                            problem = BACKTICK;
                            at = i;
                        }
                        i++;
                    }
                }
                case '[' -> {
                    if (bracketIdent) {
                        if (problem == NONE) {
                            problem = BRACKET;
                            at = i;
                        }
                        int j = sql.indexOf(']', i + 1);
                        i = j < 0 ? n : j + 1;
                    } else {
                        i++;
                    }
                }
                case '$' -> {
                    if (dollars && !identifierPart(sql, i)) {
                        int j = i + 1;
                        if (j < n && sql.charAt(j) >= '0' && sql.charAt(j) <= '9' && dollarNumber) {
                            if (problem == NONE) {
                                problem = POSITIONAL_PARAMETER;
                                at = i;
                            }
                            i = j + 1;
                        } else {
                            while (j < n && isTagChar(sql.charAt(j), j == i + 1)) {
                                j++;
                            }
                            if (j < n && sql.charAt(j) == '$') {
                                int tagLength = j + 1 - i;
                                if (tagLength > 2 && problem == NONE) {
                                    problem = TAGGED_DOLLAR;
                                    at = i;
                                }
                                int end = closingTag(sql, i, tagLength, j + 1);
                                if (end < 0) {
                                    if (problem == NONE) {
                                        problem = UNTERMINATED_DOLLAR;
                                        at = i;
                                    }
                                    i = n;
                                } else {
                                    i = end + tagLength;
                                }
                                string = true;
                            } else {
                                i++;
                            }
                        }
                    } else if (!dollars && !identifierPart(sql, i)) {
                        if (problem == NONE) {
                            problem = named ? NAMED_PARAMETER : DOLLAR_TOKEN;
                            at = i;
                        }
                        i++;
                    } else {
                        i++;
                    }
                }
                case ':' -> {
                    if (named && isIdentifierStart(next) && problem == NONE) {
                        problem = NAMED_PARAMETER;
                        at = i;
                    }
                    i += next == ':' ? 2 : 1;
                }
                case '#' -> {
                    // reached only where # is no comment
                    if (identifierPart(sql, i) && problem == NONE) {
                        problem = GLUED;
                        at = i;
                    } else if (isIdentifierPart(next) && problem == NONE) {
                        // the parser reads #name as one name
                        problem = named ? NAMED_PARAMETER : AT_OPERATOR;
                        at = i;
                    }
                    i++;
                }
                case '@' -> {
                    if (identifierPart(sql, i) && problem == NONE) {
                        problem = GLUED;
                        at = i;
                    }
                    if ((named || dollarNumber) && isIdentifierPart(next) && problem == NONE) {
                        problem = named ? NAMED_PARAMETER : AT_OPERATOR;
                        at = i;
                    }
                    i++;
                }
                case '?' -> {
                    if (next == '?' && doubledLiteral) {
                        if (problem == NONE) {
                            problem = DOUBLED_QUESTION;
                            at = i;
                        }
                        i += 2;
                    } else {
                        count++;
                        if ((next == '|' || next == '&') && problem == NONE) {
                            problem = QUESTION_OPERATOR;
                            at = i;
                        } else if (next >= '0' && next <= '9' && problem == NONE) {
                            problem = NUMBERED_PARAMETER;
                            at = i;
                        }
                        i++;
                    }
                }
                case '|' -> {
                    if (next == '|' && pipesOr && problem == NONE) {
                        problem = PIPES;
                        at = i;
                    }
                    i += next == '|' ? 2 : 1;
                }
                case '&' -> {
                    if (next == '&' && overlap && problem == NONE) {
                        problem = AMPERSANDS;
                        at = i;
                    }
                    i += next == '&' ? 2 : 1;
                }
                case '/' -> {
                    if (next == '/' && problem == NONE) {
                        problem = SLASH_SLASH;
                        at = i;
                    }
                    i++;
                }
                case '-' -> {
                    if (next == '-' && problem == NONE) {
                        // only reached where "--" without a space is not a comment (MySQL)
                        problem = DASH_DASH;
                        at = i;
                    }
                    i++;
                }
                case '*' -> {
                    if (next == '/' && inExecutable) {
                        inExecutable = false;
                        i += 2;
                    } else {
                        i++;
                    }
                }
                case ';' -> {
                    semicolon = i;
                    i++;
                }
                case '\\' -> {
                    // no SQL of these databases has it outside a string (but MySQL's \N); MySQL's driver escapes with it
                    if (problem == NONE) {
                        problem = BACKSLASH_CODE;
                        at = i;
                    }
                    i++;
                }
                case '{', '}' -> {
                    if (problem == NONE) {
                        problem = JDBC_ESCAPE;
                        at = i;
                    }
                    i++;
                }
                default -> {
                    if ((c >= '0' && c <= '9') || (c == '.' && next >= '0' && next <= '9' && !identifierPart(sql, i))) {
                        int j = numberEnd(sql, i);
                        if (j < n && isIdentifierPart(sql.charAt(j))) {
                            // 1_000, 0b101, 12e, 1abc: a number to one reader, a name or a number and an alias to another
                            if (problem == NONE) {
                                problem = GLUED_NUMBER;
                                at = i;
                            }
                            while (j < n && isIdentifierPart(sql.charAt(j))) {
                                j++;
                            }
                        }
                        i = j;
                    } else if (isIdentifierStart(c)) {
                        int j = i + 1;
                        while (j < n && isIdentifierPart(sql.charAt(j))) {
                            j++;
                        }
                        if (unicode && j == i + 1 && (c == 'U' || c == 'u') && j + 1 < n && sql.charAt(j) == '&'
                                && (sql.charAt(j + 1) == '\'' || sql.charAt(j + 1) == '"') && problem == NONE) {
                            problem = UNICODE_ESCAPE;
                            at = i;
                        }
                        i = j;
                    } else {
                        i++;
                    }
                }
            }
            lastWasString = string;
        }
        if (counting) {
            return count;
        }
        if (inExecutable && problem == NONE) {
            problem = UNTERMINATED_COMMENT;
            at = n;
        }
        return problem | (long) at << 8;
    }

}
