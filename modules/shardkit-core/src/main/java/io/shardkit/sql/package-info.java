/**
 * SQL analysis, once per SQL text and cached ({@link io.shardkit.sql.AnalysisCache}): the lexer
 * reads the text as its database and driver will ({@link io.shardkit.sql.SqlLexer}, dialect facts
 * in {@link io.shardkit.sql.Dialect}), JSqlParser parses it, the allowlist walks every node and
 * refuses what it does not positively understand, and the analyzer records what routing and
 * merging need ({@link io.shardkit.sql.SqlAnalysis}, {@link io.shardkit.sql.MergeSpec}: the shard
 * SQL, its parameter map, the merge steps).
 *
 * <p>Internal: public only for shardkit's other packages. With {@code tenant}, the only package
 * that uses JSqlParser's types.
 */
package io.shardkit.sql;
