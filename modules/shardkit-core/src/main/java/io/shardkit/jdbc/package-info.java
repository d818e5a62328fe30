/**
 * The JDBC surface applications call: the logical connection, statements and prepared statements,
 * metadata, savepoints, and the result sets shardkit composes from shard results (merged,
 * concatenated, copied rows), with the conversions their getters make.
 *
 * <p>Internal: applications use these types only through the {@code java.sql} interfaces; the
 * classes are public only for shardkit's other packages.
 */
package io.shardkit.jdbc;
