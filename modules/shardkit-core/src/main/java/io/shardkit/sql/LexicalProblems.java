package io.shardkit.sql;

/**
 * The lexical problems {@link SqlLexer} finds, each a code its scan returns packed with the offset
 * where it starts, and the refusal message naming it. The messages are API: users search for them.
 */
final class LexicalProblems {
    static final int NONE = 0;
    static final int SEVERAL = 1;
    static final int UNTERMINATED_STRING = 2;
    static final int UNTERMINATED_IDENTIFIER = 3;
    static final int UNTERMINATED_COMMENT = 4;
    static final int UNTERMINATED_DOLLAR = 5;
    static final int EXECUTABLE_COMMENT = 6;
    static final int HINT = 7;
    static final int DASH_DASH = 8;
    static final int HASH_COMMENT = 9;
    static final int NESTED_COMMENT = 10;
    static final int PIPES = 11;
    static final int DOUBLE_QUOTED = 12;
    static final int BACKSLASH_MYSQL = 13;
    static final int BACKSLASH_ESCAPE_STRING = 14;
    static final int BACKSLASH_QUOTE = 15;
    static final int UNICODE_ESCAPE = 16;
    static final int TAGGED_DOLLAR = 17;
    static final int DOLLAR_TOKEN = 18;
    static final int POSITIONAL_PARAMETER = 19;
    static final int NAMED_PARAMETER = 20;
    static final int AT_OPERATOR = 21;
    static final int QUESTION_OPERATOR = 22;
    static final int DOUBLED_QUESTION = 23;
    static final int NUMBERED_PARAMETER = 24;
    static final int SLASH_SLASH = 25;
    static final int BACKTICK = 26;
    static final int BRACKET = 27;
    static final int CARRIAGE_RETURN = 28;
    static final int ADJACENT_STRINGS = 29;
    static final int AMPERSANDS = 30;
    static final int GLUED = 31;
    static final int GLUED_NUMBER = 32;
    static final int SLASH_STAR_SLASH = 33;
    static final int JDBC_ESCAPE = 34;
    static final int BACKSLASH_CODE = 35;
    static final int BACKSLASH_NAME = 36;

    private LexicalProblems() {
    }

    static String message(int code, int at, Dialect d) {
        String db = d.displayName();
        String what = switch (code) {
            case SEVERAL -> SqlLexer.SEVERAL_STATEMENTS + " (more SQL follows the ';'); shardkit routes and guards one statement"
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
