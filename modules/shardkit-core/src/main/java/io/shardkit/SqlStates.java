package io.shardkit;

/**
 * Every SQLState shardkit raises itself, with what it means in shardkit and where it comes from.
 *
 * <p>Errors a shard's driver raises keep the driver's own SQLState ({@link ShardException#fromShard});
 * the states here are the ones shardkit chooses. Most are standard SQL or ODBC states (classes
 * {@code 0A}, {@code 08}, {@code 22}, {@code HY}, ...), a few are PostgreSQL's where shardkit answers
 * as PostgreSQL would ({@code 2201W}, {@code 42P06}, {@code XX001}), and {@link #PARTIAL_COMMIT} is
 * shardkit's own class {@code SK}. The names follow the standard meaning; several shardkit errors
 * may share one state (every refusal is {@link #FEATURE_NOT_SUPPORTED}), so tests assert the
 * message as well. Constants other classes publish ({@link RefusedException#SQL_STATE},
 * {@link ShardException#PARTIAL_COMMIT}, {@link Tenants#UNKNOWN_TENANT}, ...) are aliases of these.
 */
public final class SqlStates {
    private SqlStates() {
    }

    // ---- 0A: feature not supported ----

    /**
     * {@code 0A000}: a refusal ({@link RefusedException}): a statement whose answer across shards
     * could not be computed exactly, or that would break a promise (two write shards in one
     * transaction, {@code ATTACH} on SQLite); also the JDBC methods shardkit does not offer
     * (credentials per call, custom type maps, named cursors, updatable or scrollable results,
     * unwrapping a routed call or a connection pinned to a read-only shard).
     */
    public static final String FEATURE_NOT_SUPPORTED = "0A000";

    // ---- 02, 07: no data, dynamic SQL ----

    /** {@code 02000}: a routed {@code {? = call f(...)}} answered no row. */
    public static final String NO_DATA = "02000";

    /**
     * {@code 07000}: the wrong execute method for the statement: {@code executeUpdate} given a
     * query, an {@code EXPLAIN} or another statement that returns rows, {@code executeQuery} given
     * a write over several shards.
     */
    public static final String DYNAMIC_SQL_ERROR = "07000";

    /** {@code 07001}: a prepared statement executed with a parameter that has no value. */
    public static final String WRONG_NUMBER_OF_PARAMETERS = "07001";

    /**
     * {@code 07009}: a column index out of range in a merged result or its metadata, or a routed
     * call's parameter other than its return value.
     */
    public static final String INVALID_DESCRIPTOR_INDEX = "07009";

    // ---- 08: connection ----

    /**
     * {@code 08001}: a shard connection that could not be had: the shard is down (failing fast
     * until it is tried again), its pool timed out, its SQLite file is missing, or the wait was
     * interrupted ({@link ShardException#UNREACHABLE}).
     */
    public static final String UNABLE_TO_CONNECT = "08001";

    /** {@code 08003}: a closed logical connection, a closed runtime shard, or a closed data source. */
    public static final String CONNECTION_DOES_NOT_EXIST = "08003";

    /**
     * {@code 08004}: a connection refused by shardkit's own limits: the runtime shards' connection
     * cap, or the scatter permits kept for point reads.
     */
    public static final String CONNECTION_REJECTED = "08004";

    /** {@code 08006}: a SQLite shard whose file disappeared while its pool held connections to it. */
    public static final String CONNECTION_FAILURE = "08006";

    // ---- 22: data exception ----

    /**
     * {@code 22000}: a value shardkit cannot use: a stream or reader bound as a parameter that
     * cannot be read, a value of a type the merge cannot compute with.
     */
    public static final String DATA_EXCEPTION = "22000";

    /** {@code 22003}: a number out of range: a getter's conversion, integer overflow in merged arithmetic. */
    public static final String NUMERIC_VALUE_OUT_OF_RANGE = "22003";

    /**
     * {@code 22007}: text that is not a date, time or timestamp: a getter's conversion, and a SQLite
     * archive cutoff column holding other text ({@code Archiver.NOT_TEXT_DATE}).
     */
    public static final String INVALID_DATETIME_FORMAT = "22007";

    /** {@code 22012}: division by zero in arithmetic over merged values, on PostgreSQL (and unknown) shards. */
    public static final String DIVISION_BY_ZERO = "22012";

    /** {@code 22018}: a value a getter cannot convert to the requested number, boolean or type. */
    public static final String INVALID_CHARACTER_VALUE_FOR_CAST = "22018";

    /**
     * {@code 22023}: an invalid argument: a negative max rows, fetch size or query timeout, a parameter
     * index below 1, a LIMIT/OFFSET parameter that is not a non-negative integer, a tenant drop
     * whose confirmation is not the tenant's name ({@link Tenants#NOT_CONFIRMED}).
     */
    public static final String INVALID_PARAMETER_VALUE = "22023";

    /** {@code 2201W}: a negative LIMIT on PostgreSQL shards, raised as PostgreSQL would. */
    public static final String INVALID_ROW_COUNT_IN_LIMIT = "2201W";

    /** {@code 2201X}: a negative OFFSET on PostgreSQL shards, raised as PostgreSQL would. */
    public static final String INVALID_ROW_COUNT_IN_OFFSET = "2201X";

    // ---- 23: integrity ----

    /**
     * {@code 23000}: on MySQL/MariaDB, an INSERT into a tiered table whose id a read-only archive
     * shard already holds (vendor code 1062: what one database would say of a duplicate key).
     */
    public static final String INTEGRITY_CONSTRAINT_VIOLATION = "23000";

    /** {@code 23505}: the same INSERT on other databases: the id is already in the archive tier. */
    public static final String UNIQUE_VIOLATION = "23505";

    // ---- 24, 25, 3B, 3F: cursor, transaction, savepoint, schema ----

    /** {@code 24000}: a merged or copied result read while closed or not on a row. */
    public static final String INVALID_CURSOR_STATE = "24000";

    /** {@code 25000}: commit, rollback or a savepoint while autocommit is on. */
    public static final String INVALID_TRANSACTION_STATE = "25000";

    /** {@code 25006}: a write on a read-only connection or to a shard the map marks read-only. */
    public static final String READ_ONLY_SQL_TRANSACTION = "25006";

    /** {@code 3B001}: a savepoint that is not one of the connection's current transaction. */
    public static final String INVALID_SAVEPOINT_SPECIFICATION = "3B001";

    /**
     * {@code 3F000}: a tenant without a schema ({@link Tenants#UNKNOWN_TENANT}), or a tenant's
     * schema a MySQL driver cannot switch to (Connector/J's {@code databaseTerm}).
     */
    public static final String INVALID_SCHEMA_NAME = "3F000";

    // ---- 40: transaction rollback ----

    /**
     * {@code 40001}: a write to a bucket being moved to another shard, refused by the fence trigger
     * on the source shard (issue 15, {@code MoveTriggers}); retryable: the map changed, refresh and retry.
     */
    public static final String SERIALIZATION_FAILURE = "40001";

    // ---- 42: syntax or access rule ----

    /**
     * {@code 42000}: SQL that is {@code null}, a statement naming a table the map does not know or
     * lacking a shard key it needs ({@code Router.INVALID}), a LIMIT/OFFSET parameter MySQL would
     * reject as syntax.
     */
    public static final String SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION = "42000";

    /** {@code 42501}: a tenant's statement naming another tenant's schema. */
    public static final String INSUFFICIENT_PRIVILEGE = "42501";

    /** {@code 42602}: a tenant name not a plain identifier, too long, or reserved ({@link Tenants#INVALID_NAME}). */
    public static final String INVALID_NAME = "42602";

    /** {@code 42703}: a column label a merged result does not have. */
    public static final String UNDEFINED_COLUMN = "42703";

    /** {@code 42P01}: a split table none of whose physical tables exists on the shards a statement needs. */
    public static final String UNDEFINED_TABLE = "42P01";

    /**
     * {@code 42S02}: MySQL's and MariaDB's "table does not exist", as their drivers report it; shardkit
     * reads it from shards (a physical table gone, see {@link #UNDEFINED_TABLE}) and raises it only as
     * the shard's own error.
     */
    public static final String BASE_TABLE_NOT_FOUND = "42S02";

    /** {@code 42804}: a LIMIT/OFFSET parameter on PostgreSQL shards that is not a number, as PostgreSQL says. */
    public static final String DATATYPE_MISMATCH = "42804";

    /** {@code 42P06}: creating a tenant whose schema exists ({@link Tenants#EXISTS}). */
    public static final String DUPLICATE_SCHEMA = "42P06";

    // ---- 54, 57, 58: limits, operator intervention, system ----

    /** {@code 54000}: a merge that would hold more rows or bytes than its bound ({@code MergeLimitException}). */
    public static final String PROGRAM_LIMIT_EXCEEDED = "54000";

    /**
     * {@code 55000}: a resharding step asked for out of order (switch before the copy is verified,
     * cleanup before the switch or before its grace period, abort after the switch), or while
     * another reshard of the group is in progress.
     */
    public static final String OBJECT_NOT_IN_PREREQUISITE_STATE = "55000";

    /** {@code 57014}: a scatter query cancelled by its timeout or by {@code Statement.cancel()}. */
    public static final String QUERY_CANCELED = "57014";

    /** {@code 58030}: a tenant DDL resource missing from the class path or unreadable. */
    public static final String IO_ERROR = "58030";

    // ---- F0, XX: configuration, internal ----

    /**
     * {@code F0000}: an invalid shard map ({@link ShardMapException}), or a table the archiver
     * cannot archive as the map describes it ({@code Archiver.NOT_ARCHIVABLE}); the CLI exits with
     * its usage status on it.
     */
    public static final String CONFIG_FILE_ERROR = "F0000";

    /** {@code XX000}: an internal inconsistency: fewer shards answered an {@code EXISTS} than were asked. */
    public static final String INTERNAL_ERROR = "XX000";

    /** {@code XX001}: an archive copy that does not read back as the hot row ({@code Archiver.VERIFY_FAILED}). */
    public static final String DATA_CORRUPTED = "XX001";

    // ---- HY: ODBC, SK: shardkit ----

    /**
     * {@code HY000}: a statement the choosers could not route (no key, unknown shard, a key a
     * strategy cannot map: {@link ShardException#ROUTING}); also an unwrap to an interface shardkit
     * does not implement, SQL text given to a {@code PreparedStatement} method, a scatter that could
     * not start, and generated keys that are not available.
     */
    public static final String GENERAL_ERROR = "HY000";

    /** {@code HY008}: a scatter interrupted while starting its shard queries or waiting for a permit. */
    public static final String OPERATION_CANCELED = "HY008";

    /** {@code HY010}: a closed statement used, or generated keys asked for before a statement that has them ran. */
    public static final String FUNCTION_SEQUENCE_ERROR = "HY010";

    /** {@code HY024}: a named savepoint asked for its id, or an unnamed one for its name. */
    public static final String INVALID_ATTRIBUTE_VALUE = "HY024";

    /**
     * {@code SK001}: a write over several shards whose commit failed on one shard after others
     * had committed; the message names both sets. Not transient: retrying would apply the write
     * twice on the shards that committed ({@link ShardException#PARTIAL_COMMIT}).
     */
    public static final String PARTIAL_COMMIT = "SK001";
}
