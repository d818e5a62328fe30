/**
 * Real databases for shardkit's tests and for its users' tests.
 *
 * <p>{@link io.shardkit.testing.EmbeddedPostgres} and {@link io.shardkit.testing.EmbeddedMariaDb}
 * start one server each per JVM from Maven artifacts (no installed database, no Docker) or use an
 * external one named by {@code SHARDKIT_PG_URL} / {@code SHARDKIT_MARIADB_URL}.
 * {@link io.shardkit.testing.PostgresShards}, {@link io.shardkit.testing.MariaDbShards} and
 * {@link io.shardkit.testing.SqliteShards} hand a test class a {@link io.shardkit.testing.ShardSet}:
 * four empty databases named s0..s3 plus a reference database for differential tests.
 *
 * <pre>
 * &#64;PostgresShards
 * class LeaderboardTest {
 *     &#64;Test
 *     void topTenAcrossShards(ShardSet shards) throws Exception {
 *         String map = shards.yamlShards() + "tables: ...";
 *         ShardedDataSource ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(map.getBytes(UTF_8)));
 *         try (Connection s2 = shards.open(2)) { ... check what landed on s2 ... }
 *     }
 * }
 * </pre>
 *
 * <p>Servers and their binaries live under {@code ${java.io.tmpdir}/shardkit-${user.name}}
 * (system property {@code shardkit.embedded.dir} moves it): binaries are unpacked once per machine,
 * data directories are deleted when the JVM exits, and ones left by a killed JVM are cleaned up,
 * with their servers stopped, by the next JVM that starts a server.
 */
package io.shardkit.testing;
