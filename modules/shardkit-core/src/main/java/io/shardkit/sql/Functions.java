package io.shardkit.sql;

import java.util.Locale;
import java.util.Set;

/**
 * The functions shardkit knows, by lower-case name: what may appear in a statement it routes.
 * A function not listed here is refused, because shardkit cannot tell what it does: it may read
 * other tables (PostgreSQL {@code query_to_xml('select ...')}, a user function), change the
 * session ({@code set_config}, advisory locks), or evaluate SQL; such a statement belongs on a
 * connection pinned to one shard ({@code ShardedDataSource.connectionTo}).
 *
 * <p>Known functions are pure (their value depends only on their arguments) unless listed in
 * {@link #VOLATILE}: those give each shard a different value, which a write to every copy of a
 * broadcast table must not do.
 */
final class Functions {
    private Functions() {
    }

    /** Aggregates of any dialect (the merge decides which it can combine across shards). */
    static final Set<String> AGGREGATES = Set.of("count", "sum", "min", "max", "avg", "total",
            "group_concat", "string_agg", "array_agg", "json_agg", "jsonb_agg", "json_object_agg",
            "jsonb_object_agg", "json_group_array", "json_group_object", "json_arrayagg", "json_objectagg",
            "bool_and", "bool_or", "every", "bit_and", "bit_or", "bit_xor", "stddev", "stddev_pop",
            "stddev_samp", "variance", "var_pop", "var_samp", "std", "median", "mode", "any_value",
            "percentile_cont", "percentile_disc", "corr", "covar_pop", "covar_samp", "listagg", "xmlagg",
            "regr_slope", "regr_intercept", "regr_count", "regr_r2", "regr_avgx", "regr_avgy", "regr_sxx",
            "regr_syy", "regr_sxy");

    private static final Set<String> WINDOW = Set.of("row_number", "rank", "dense_rank", "percent_rank",
            "cume_dist", "ntile", "lag", "lead", "first_value", "last_value", "nth_value");

    /** Pure scalar functions of SQLite, PostgreSQL and MySQL/MariaDB. */
    private static final Set<String> SCALAR = Set.of(
            // numbers
            "abs", "round", "ceil", "ceiling", "floor", "trunc", "truncate", "sign", "sqrt", "cbrt", "power",
            "pow", "exp", "ln", "log", "log10", "log2", "mod", "pi", "degrees", "radians", "sin", "cos", "tan",
            "asin", "acos", "atan", "atan2", "cot", "sinh", "cosh", "tanh", "greatest", "least", "div",
            "width_bucket", "scale", "gcd", "lcm", "factorial", "conv", "bin", "oct",
            // nulls and conditions
            "coalesce", "ifnull", "nullif", "nvl", "iif", "if", "isnull", "num_nulls", "num_nonnulls",
            "values", "excluded", // MySQL's VALUES(col) in ON DUPLICATE KEY UPDATE: the row being inserted
            // text
            "length", "char_length", "character_length", "octet_length", "bit_length", "lower", "upper", "lcase",
            "ucase", "substr", "substring", "mid", "left", "right", "trim", "ltrim", "rtrim", "btrim", "lpad",
            "rpad", "replace", "reverse", "repeat", "concat", "concat_ws", "instr", "position", "strpos",
            "locate", "split_part", "initcap", "ascii", "chr", "char", "unicode", "hex", "unhex", "quote",
            "quote_ident", "quote_literal", "quote_nullable", "printf", "format", "typeof", "md5", "sha1",
            "sha2", "crc32", "to_hex", "encode", "decode", "regexp_replace", "regexp_like", "regexp_substr",
            "regexp_instr", "regexp_count", "like", "glob", "soundex", "space", "insert", "field", "elt",
            "find_in_set", "starts_with", "translate", "overlay", "string_to_array", "array_to_string",
            "unistr", "sqlite_version", "zeroblob", "bit_count",
            // dates and times (volatile forms are listed in VOLATILE or recognised by isVolatile)
            "date", "time", "datetime", "julianday", "strftime", "unixepoch", "timediff", "date_trunc",
            "date_part", "to_char", "to_date", "to_timestamp", "to_number", "age", "make_date", "make_time",
            "make_timestamp", "make_timestamptz", "make_interval", "justify_days", "justify_hours",
            "justify_interval", "date_add", "date_sub", "adddate", "subdate", "addtime", "subtime", "datediff",
            "timestampdiff", "timestampadd", "date_format", "time_format", "str_to_date", "year", "month",
            "day", "dayofmonth", "dayofweek", "dayofyear", "dayname", "monthname", "hour", "minute", "second",
            "microsecond", "week", "weekday", "weekofyear", "yearweek", "quarter", "last_day", "from_unixtime",
            "unix_timestamp", "from_days", "to_days", "to_seconds", "sec_to_time", "time_to_sec", "makedate",
            "maketime", "period_add", "period_diff", "convert_tz", "isfinite", "extract",
            // json
            "json", "jsonb", "json_extract", "json_object", "json_array", "json_valid", "json_type",
            "json_array_length", "json_quote", "json_unquote", "json_contains", "json_keys", "json_length",
            "json_value", "json_query", "json_exists", "json_extract_path", "json_extract_path_text",
            "jsonb_extract_path", "jsonb_extract_path_text", "json_build_object", "jsonb_build_object",
            "json_build_array", "jsonb_build_array", "to_json", "to_jsonb", "json_typeof", "jsonb_typeof",
            "jsonb_array_length", "json_strip_nulls", "jsonb_strip_nulls", "jsonb_set", "jsonb_insert",
            "jsonb_pretty", "json_set", "json_insert", "json_replace", "json_remove", "json_patch",
            // what the session is (read only; setting it is refused with SET)
            "current_schema", "current_database", "database", "schema", "current_user", "session_user", "user",
            "current_role", "version", "current_setting", "pg_typeof", "format_type", "current_catalog",
            // arrays and casts written as functions
            "array_length", "cardinality", "array_position", "array_append", "array_prepend", "array_cat",
            "array_remove", "array_upper", "array_lower", "cast", "convert", "binary", "bool", "int", "float");

    /** Set-returning functions allowed as a FROM item. */
    private static final Set<String> TABLE_FUNCTIONS = Set.of("generate_series", "unnest", "json_each",
            "json_tree", "jsonb_each", "jsonb_array_elements", "json_array_elements", "regexp_split_to_table");

    /**
     * Known functions whose value differs from call to call, or from shard to shard: random values,
     * the clock, sequences and the connection's own state.
     */
    static final Set<String> VOLATILE = Set.of("random", "rand", "randomblob", "random_uuid", "gen_random_uuid",
            "uuid", "uuid_short", "uuid_generate_v1", "uuid_generate_v4", "sys_guid", "now", "sysdate", "curdate",
            "curtime", "current_date", "current_time", "current_timestamp", "localtime", "localtimestamp",
            "utc_date", "utc_time", "utc_timestamp", "clock_timestamp", "statement_timestamp",
            "transaction_timestamp", "timeofday", "nextval", "last_insert_id", "last_insert_rowid", "changes",
            "total_changes", "row_count", "found_rows", "lastval", "currval", "connection_id", "pg_backend_pid");

    /**
     * Functions that answer about the connection's own last statements (the id last inserted, the
     * rows last changed): meaningful only on the physical connection that ran that write.
     */
    static final Set<String> CONNECTION_STATE = Set.of("last_insert_rowid", "changes", "total_changes", "lastval",
            "currval", "last_insert_id", "row_count", "found_rows");

    static boolean isConnectionState(String name) {
        return CONNECTION_STATE.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Whether {@code name} is a function shardkit knows (any use: scalar, aggregate, window). */
    static boolean isKnown(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return SCALAR.contains(n) || AGGREGATES.contains(n) || WINDOW.contains(n) || VOLATILE.contains(n);
    }

    static boolean isAggregate(String name) {
        return AGGREGATES.contains(name.toLowerCase(Locale.ROOT));
    }

    static boolean isTableFunction(String name) {
        return TABLE_FUNCTIONS.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether a call gives a different value per call: a {@link #VOLATILE} function, a SQLite date
     * function reading the clock ({@code datetime('now')}), {@code unix_timestamp()} without an
     * argument, or PostgreSQL's one-argument {@code age(ts)} (which counts from today).
     *
     * @param arguments how many arguments the call has
     * @param nowArgument whether one of its arguments is the string literal {@code 'now'} (any case)
     */
    static boolean isVolatile(String name, int arguments, boolean nowArgument) {
        String n = name.toLowerCase(Locale.ROOT);
        if (VOLATILE.contains(n)) {
            return true;
        }
        return switch (n) {
            case "date", "time", "datetime", "julianday", "strftime", "unixepoch", "timediff" -> nowArgument
                    || arguments == 0;
            case "unix_timestamp" -> arguments == 0;
            case "age" -> arguments == 1;
            default -> false;
        };
    }
}
