package io.shardkit.sql;

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

    private static final int NONE = 0;
    private static final int SEVERAL = 1;
    private static final int UNTERMINATED_STRING = 2;
    private static final int UNTERMINATED_IDENTIFIER = 3;
    private static final int UNTERMINATED_COMMENT = 4;
    private static final int UNTERMINATED_DOLLAR = 5;
    private static final int EXECUTABLE_COMMENT = 6;
    private static final int HINT = 7;
    private static final int DASH_DASH = 8;
    private static final int HASH_COMMENT = 9;
    private static final int NESTED_COMMENT = 10;
    private static final int PIPES = 11;
    private static final int DOUBLE_QUOTED = 12;
    private static final int BACKSLASH_MYSQL = 13;
    private static final int BACKSLASH_ESCAPE_STRING = 14;
    private static final int BACKSLASH_QUOTE = 15;
    private static final int UNICODE_ESCAPE = 16;
    private static final int TAGGED_DOLLAR = 17;
    private static final int DOLLAR_TOKEN = 18;
    private static final int POSITIONAL_PARAMETER = 19;
    private static final int NAMED_PARAMETER = 20;
    private static final int AT_OPERATOR = 21;
    private static final int QUESTION_OPERATOR = 22;
    private static final int DOUBLED_QUESTION = 23;
    private static final int NUMBERED_PARAMETER = 24;
    private static final int SLASH_SLASH = 25;
    private static final int BACKTICK = 26;
    private static final int BRACKET = 27;
    private static final int CARRIAGE_RETURN = 28;
    private static final int ADJACENT_STRINGS = 29;
    private static final int AMPERSANDS = 30;
    private static final int GLUED = 31;
    private static final int GLUED_NUMBER = 32;
    private static final int SLASH_STAR_SLASH = 33;
    private static final int JDBC_ESCAPE = 34;
    private static final int BACKSLASH_CODE = 35;
    private static final int BACKSLASH_NAME = 36;

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
        return code == NONE ? null : message(code, (int) (r >>> 8), dialect);
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

    private static boolean isSpaceOrControl(char c) {
        return c <= ' ' || c == 0x7F;
    }

    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || (c >= '0' && c <= '9') || c == '$';
    }

    private static boolean isTagChar(char c, boolean first) {
        return isIdentifierStart(c) || (!first && c >= '0' && c <= '9');
    }

    /** The end of the numeric literal at {@code i}: digits, a fraction, an exponent, or 0x and hex digits. */
    private static int numberEnd(String sql, int i) {
        int n = sql.length();
        int j = i;
        if (sql.charAt(j) == '0' && j + 2 < n && (sql.charAt(j + 1) == 'x' || sql.charAt(j + 1) == 'X')
                && Character.digit(sql.charAt(j + 2), 16) >= 0) {
            j += 2;
            while (j < n && Character.digit(sql.charAt(j), 16) >= 0) {
                j++;
            }
            return j;
        }
        while (j < n && sql.charAt(j) >= '0' && sql.charAt(j) <= '9') {
            j++;
        }
        if (j < n && sql.charAt(j) == '.') {
            j++;
            while (j < n && sql.charAt(j) >= '0' && sql.charAt(j) <= '9') {
                j++;
            }
        }
        if (j < n && (sql.charAt(j) == 'e' || sql.charAt(j) == 'E')) {
            int k = j + 1;
            if (k < n && (sql.charAt(k) == '+' || sql.charAt(k) == '-')) {
                k++;
            }
            if (k < n && sql.charAt(k) >= '0' && sql.charAt(k) <= '9') {
                j = k;
                while (j < n && sql.charAt(j) >= '0' && sql.charAt(j) <= '9') {
                    j++;
                }
            }
        }
        return j;
    }

    /** Whether the character at {@code i} continues an identifier or number (so a {@code $} there is not a quote). */
    private static boolean identifierPart(String sql, int i) {
        return i > 0 && isIdentifierPart(sql.charAt(i - 1));
    }

    /** Whether the quote at {@code i} opens an {@code E'...'} string (an E that is a token of its own). */
    private static boolean escapePrefix(String sql, int i) {
        if (i < 1) {
            return false;
        }
        char e = sql.charAt(i - 1);
        return (e == 'E' || e == 'e') && (i < 2 || !isIdentifierPart(sql.charAt(i - 2)));
    }

    /** Whether a backslash lies between {@code start} and {@code end} (the text's end when -1). */
    private static boolean backslashIn(String sql, int start, int end) {
        int b = sql.indexOf('\\', start);
        return b >= 0 && (end < 0 || b < end);
    }

    /** The index after the closing quote of a quoted identifier ({@code ""} doubles), or -1. */
    private static int closeQuoted(String sql, int start, char quote) {
        int n = sql.length();
        int j = start + 1;
        while (j < n) {
            if (sql.charAt(j) == quote) {
                if (j + 1 < n && sql.charAt(j + 1) == quote) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        return -1;
    }

    /** The index after the closing quote of a string quoted by {@code quote} (doubled or, if escapes, backslashed), or -1. */
    private static int closeString(String sql, int start, char quote, boolean escapes) {
        int n = sql.length();
        int j = start + 1;
        while (j < n) {
            char k = sql.charAt(j);
            if (k == '\\' && escapes) {
                j += 2;
            } else if (k == quote) {
                if (j + 1 < n && sql.charAt(j + 1) == quote) {
                    j += 2;
                    continue;
                }
                return j + 1;
            } else {
                j++;
            }
        }
        return -1;
    }

    /** Where the dollar quote opened by the tag at {@code tagStart} closes, searching from {@code from}; -1 if never. */
    private static int closingTag(String sql, int tagStart, int tagLength, int from) {
        int n = sql.length();
        for (int j = from; j + tagLength <= n; j++) {
            if (sql.charAt(j) == '$' && sql.regionMatches(j, sql, tagStart, tagLength)) {
                return j;
            }
        }
        return -1;
    }

    private static String message(int code, int at, Dialect d) {
        String db = d.displayName();
        String what = switch (code) {
            case SEVERAL -> SEVERAL_STATEMENTS + " (more SQL follows the ';'); shardkit routes and guards one statement"
                    + " per call, and the driver would run or drop the rest: send each statement in its own execute call";
            case UNTERMINATED_STRING -> "an unterminated string literal";
            case UNTERMINATED_IDENTIFIER -> "an unterminated quoted identifier";
            case UNTERMINATED_COMMENT -> "an unterminated block comment";
            case UNTERMINATED_DOLLAR -> "an unterminated dollar-quoted string";
            case EXECUTABLE_COMMENT -> "a MySQL executable comment /*! ... */ or /*M! ... */ (" + db
                    + " runs what is inside; shardkit's parser skips it as a comment): write the SQL without the comment";
            case HINT -> "an optimizer hint /*+ ... */ (" + db + " reads it; shardkit's parser drops it)";
            case DASH_DASH -> "'--' not followed by a space (" + db + " reads two minus signs there, shardkit's parser"
                    + " a comment): put a space after '--' for a comment, or between the minus signs";
            case HASH_COMMENT -> "a # comment (" + db + " reads a comment, shardkit's parser does not): use -- or /* */";
            case NESTED_COMMENT -> "'/*' inside a block comment (" + db + " comments do not nest, so the first */ ends"
                    + " the comment; shardkit's parser nests them)";
            case PIPES -> "'||' (OR on " + db + " unless sql_mode has PIPES_AS_CONCAT; shardkit's parser reads"
                    + " concatenation): write OR, or CONCAT(...)";
            case DOUBLE_QUOTED -> "a double-quoted token \"...\" (a string constant on " + db + " unless sql_mode has"
                    + " ANSI_QUOTES; shardkit's parser reads a name): write '...' for a string, `...` for a name";
            case BACKSLASH_MYSQL -> "a backslash in a string literal (" + db + " reads backslash escapes,"
                    + " shardkit's parser does not): bind the value as a parameter";
            case BACKSLASH_ESCAPE_STRING -> "a backslash in an E'...' string (" + db + " reads backslash escapes,"
                    + " shardkit's parser does not): bind the value as a parameter";
            case BACKSLASH_QUOTE -> "a backslash before a quote in a string literal (" + db + " reads the quote,"
                    + " shardkit's parser may read an escape): bind the value as a parameter";
            case UNICODE_ESCAPE -> "a Unicode escape string or name U&'...' (shardkit's parser does not read it)";
            case TAGGED_DOLLAR -> "a tagged dollar quote $tag$...$tag$ (shardkit's parser does not read tags):"
                    + " write $$...$$ or '...'";
            case DOLLAR_TOKEN -> "'$' starting a token (shardkit's parser may read a dollar quote or a parameter)";
            case POSITIONAL_PARAMETER -> "a $n positional parameter: write ? markers";
            case NAMED_PARAMETER -> "a named parameter (:name, @name, #name, $name; " + db + " binds it, shardkit counts"
                    + " only ? markers): write ? markers";
            case AT_OPERATOR -> "'@' or '#' before a name or number (" + db + " reads an operator, shardkit's parser"
                    + " a name or variable): put a space after the operator";
            case QUESTION_OPERATOR -> "'?|' or '?&' (the driver reads a ? parameter marker, shardkit's parser an"
                    + " operator): put a space after a ? parameter; run the jsonb operators on a connection pinned to one"
                    + " shard (ShardedDataSource.connectionTo)";
            case DOUBLED_QUESTION -> "'??' (pgjdbc sends one literal ?, shardkit's parser reads two parameters): run"
                    + " the jsonb ? operators on a connection pinned to one shard (ShardedDataSource.connectionTo)";
            case NUMBERED_PARAMETER -> "a numbered parameter ?NNN: write plain ? markers";
            case SLASH_SLASH -> "'//' (shardkit's parser reads a comment, " + db + " does not)";
            case BACKTICK -> "a backtick (" + db + " has no backtick-quoted names): write \"...\"";
            case BRACKET -> "a [bracketed] name (" + db + " reads a name, shardkit's parser an array): write \"...\"";
            case CARRIAGE_RETURN -> "a carriage return inside a -- comment (shardkit's parser ends the comment there,"
                    + " " + db + " at the next line feed)";
            case ADJACENT_STRINGS -> "two adjacent string literals (" + db + " joins them into one string,"
                    + " shardkit's parser does not): write one literal, or concatenate explicitly";
            case GLUED -> "'@' or '#' right after a name or number (shardkit's parser reads it as part of the name,"
                    + " " + db + " as an operator or a parameter): put a space before it";
            case GLUED_NUMBER -> "a number glued to letters (digit separators like 1_000, 0b/0o literals, a name"
                    + " starting with a digit: " + db + " and shardkit's parser read them differently): write a plain"
                    + " number, or quote the name";
            case SLASH_STAR_SLASH -> "a block comment opening as /*/ (the driver ends the comment there, " + db
                    + " does not, so they find different ? markers): put a space after /*";
            case BACKSLASH_CODE -> "a backslash outside a string (the driver may read an escape there): write NULL"
                    + " for \\N, or put the text in a string";
            case BACKSLASH_NAME -> "a backslash in a quoted name (the driver may read an escape there, the database"
                    + " does not)";
            case JDBC_ESCAPE -> "a brace outside a string (a JDBC escape such as {fn ...} or {d '...'}, which the"
                    + " driver rewrites before " + db + " reads it): write the SQL the escape stands for";
            case AMPERSANDS -> "'&&' (" + db + "'s overlap operator; shardkit's parser reads AND): use"
                    + " arrayoverlap(...) / range functions, or AND";
            default -> "an unknown lexical construct";
        };
        if (code == SEVERAL) {
            return what + " (';' at character " + (at + 1) + ")";
        }
        return "shardkit cannot read this SQL the way " + db + " does: " + what + " (at character " + (at + 1) + ")";
    }
}
