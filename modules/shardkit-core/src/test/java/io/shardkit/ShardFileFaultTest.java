package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shardkit.config.ShardSpec;
import io.shardkit.strategy.Strategies;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, faults that lose or hide data, on SQLite: a shard file deleted while the data source
 * runs is never silently replaced by an empty database (writes fail, naming the file), and a bad
 * shard path does not stop the data source from starting (that shard is down, the others work).
 */
public class ShardFileFaultTest {
    @TempDir
    Path dir;

    private ShardedDataSource twoShards() throws SQLException {
        return ShardedDataSource.builder()
                .shard(ShardSpec.of("s0", "jdbc:sqlite:" + dir.resolve("s0.db")).withCreate(true))
                .shard(ShardSpec.of("s1", "jdbc:sqlite:" + dir.resolve("s1.db")).withCreate(true))
                .sharded("users", "id", Strategies.mod("s0", "s1"))
                .build();
    }

    private static void insert(ShardedDataSource ds, int from, int to) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, name) VALUES (?, ?)")) {
            for (int i = from; i < to; i++) {
                ps.setInt(1, i);
                ps.setString(2, "u" + i);
                ps.executeUpdate();
            }
        }
    }

    private static void delete(Path db) throws Exception {
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Files.deleteIfExists(db.resolveSibling(db.getFileName() + suffix));
        }
    }

    @Test
    void i11_25_aShardFileDeletedWhileOpenFailsWritesNamingItAndIsNotCreatedAgain() throws Exception {
        Path s1 = dir.resolve("s1.db");
        try (ShardedDataSource ds = twoShards()) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)");
            }
            insert(ds, 0, 10);
            // a logical connection that keeps its physical connection to s1 across the deletion
            try (Connection held = ds.getConnection();
                    PreparedStatement ps = held.prepareStatement("INSERT INTO users (id, name) VALUES (?, 'x')")) {
                ps.setInt(1, 101);
                ps.executeUpdate();
                delete(s1);
                Thread.sleep(50);

                for (int id : new int[] {103, 105}) {
                    ps.setInt(1, id);
                    SQLException e = catchThrowableOfType(SQLException.class, ps::executeUpdate);
                    assertThat((Throwable) e).as("the held connection's write to a deleted file").isNotNull();
                    assertThat(e.getSQLState()).isEqualTo("08006");
                    assertThat(e.getMessage()).contains("shard s1: database file " + s1 + " is missing");
                }
                try (Statement st = held.createStatement()) {
                    SQLException e = catchThrowableOfType(SQLException.class,
                            () -> st.executeUpdate("INSERT INTO users (id, name) VALUES (107, 'y')"));
                    assertThat(e.getSQLState()).isEqualTo("08006");
                }
            }
            // 50 new connections, each writing a row to s1: none is acknowledged
            int acknowledged = 0;
            for (int i = 0; i < 50; i++) {
                try {
                    insert(ds, 1001 + 2 * i, 1002 + 2 * i);
                    acknowledged++;
                } catch (SQLException e) {
                    assertThat(e.getSQLState()).isEqualTo("08006");
                    assertThat(e.getMessage()).contains(s1.toString());
                }
            }
            assertThat(acknowledged).as("writes acknowledged into a deleted file").isZero();
            assertThat(Files.exists(s1)).as("no empty database made in its place").isFalse();
            assertThat(ds.downShards()).containsOnlyKeys("s1");
            // the other shard works
            insert(ds, 200, 201);
            try (Connection c = ds.connectionTo("s0"); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM users")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(6);
            }
        }
    }

    @Test
    void i11_25_aMissingFileIsAnErrorNamingItUnlessTheShardSaysCreate() throws Exception {
        Path missing = dir.resolve("gone.db");
        try (ShardedDataSource ds = ShardedDataSource.builder()
                .shard(ShardSpec.of("s0", "jdbc:sqlite:" + dir.resolve("s0.db")).withCreate(true))
                .shard("s1", "jdbc:sqlite:" + missing)
                .sharded("users", "id", Strategies.mod("s0", "s1"))
                .build()) {
            SQLException e = catchThrowableOfType(SQLException.class, () -> {
                try (Connection c = ds.connectionTo("s1"); Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE users (id INTEGER PRIMARY KEY)");
                }
            });
            assertThat(e.getSQLState()).isEqualTo("08001");
            assertThat(e.getMessage()).isEqualTo("shard s1: database file " + missing + " does not exist (shardkit creates"
                    + " a SQLite file only when the shard says create: true, or through shards().create)");
            assertThat(Files.exists(missing)).isFalse();
            assertThat(Files.exists(dir.resolve("s0.db"))).as("create: true made s0's file").isTrue();
            SQLException open = catchThrowableOfType(SQLException.class,
                    () -> ds.shards().open("album", "jdbc:sqlite:" + dir.resolve("album.db")));
            assertThat(open.getSQLState()).isEqualTo("08001");
            assertThat(open.getMessage()).contains("database file " + dir.resolve("album.db") + " does not exist");
            assertThat(ds.shards().isOpen("album")).isFalse();
        }
    }

    /**
     * A shard whose path cannot work (a folder that is a file, a missing file) does not stop the
     * data source: it starts, the other shards answer, and only statements routed to the bad
     * shard fail, naming it, with 08001; a scatter that needs it fails too rather than answering
     * without it.
     */
    @Test
    void i11_26_aBadShardPathMarksThatShardDownAndTheOthersWork() throws Exception {
        Files.writeString(dir.resolve("blocker"), "a file where a folder should be");
        String yaml = """
                shards:
                  - {name: s0, url: "jdbc:sqlite:DIR/s0.db", create: true}
                  - {name: s1, url: "jdbc:sqlite:DIR/blocker/s1.db", create: true}
                  - {name: s2, url: "jdbc:sqlite:DIR/s2.db", create: true}
                  - {name: s3, url: "jdbc:sqlite:DIR/nowhere/s3.db"}
                tables:
                  users:
                    key: id
                    strategy: {type: mod, shards: [s0, s1, s2, s3]}
                """.replace("DIR", dir.toString());
        try (ShardedDataSource ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))) {
            assertThat(ds.downShards()).containsOnlyKeys("s1", "s3");
            assertThat(ds.downShards().get("s1")).startsWith("shard s1: cannot create database file "
                    + dir.resolve("blocker/s1.db"));
            for (String s : new String[] {"s0", "s2"}) {
                try (Connection c = ds.connectionTo(s); Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)");
                }
            }
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                assertThat(st.executeUpdate("INSERT INTO users (id, name) VALUES (4, 'a')")).isEqualTo(1);
                assertThat(st.executeUpdate("INSERT INTO users (id, name) VALUES (6, 'b')")).isEqualTo(1);
                try (ResultSet rs = st.executeQuery("SELECT name FROM users WHERE id = 6")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("b");
                }
                SQLException one = catchThrowableOfType(SQLException.class,
                        () -> st.executeUpdate("INSERT INTO users (id, name) VALUES (5, 'c')"));
                assertThat(one.getSQLState()).isEqualTo("08001");
                assertThat(one.getMessage()).startsWith("shard s1: cannot create database file");
                SQLException three = catchThrowableOfType(SQLException.class,
                        () -> st.executeQuery("SELECT name FROM users WHERE id = 7").next());
                assertThat(three.getSQLState()).isEqualTo("08001");
                assertThat(three.getMessage()).contains("shard s3: database file " + dir.resolve("nowhere/s3.db")
                        + " does not exist");
                SQLException scatter = catchThrowableOfType(SQLException.class, () -> {
                    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM users")) {
                        rs.next();
                    }
                });
                assertThat(scatter.getSQLState()).isIn("08001", "08006");
                assertThat(scatter.getMessage()).containsPattern("shard s[13]");
            }
            assertThat(Files.exists(dir.resolve("nowhere"))).as("no folder made for a shard without create").isFalse();
        }
    }
}
