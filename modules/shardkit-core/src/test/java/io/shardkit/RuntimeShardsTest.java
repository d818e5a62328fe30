package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.config.ShardSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shards opened and closed at runtime: the photo-album application, with one SQLite file per
 * album sharing one model (pic, tag, pic_tag), plus the idle close and the connection cap.
 */
class RuntimeShardsTest {
    @TempDir
    Path dir;

    private static final List<String> MODEL = List.of(
            "CREATE TABLE pic (id INTEGER PRIMARY KEY, file TEXT NOT NULL)",
            "CREATE TABLE tag (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
            "CREATE TABLE pic_tag (pic_id INTEGER REFERENCES pic(id), tag_id INTEGER REFERENCES tag(id), PRIMARY KEY (pic_id, tag_id))");

    private ShardedDataSource library(long idleMillis, int cap) throws SQLException {
        return ShardedDataSource.builder()
                .shard(ShardSpec.of("catalog", "jdbc:sqlite:" + dir.resolve("catalog.db")).withCreate(true))
                .defaultShard("catalog")
                .runtimeIdleTimeout(idleMillis)
                .runtimeConnectionCap(cap)
                .build();
    }

    /** Opens an album file and, when new, gives it the model: every album has the same tables. */
    private static void openAlbum(ShardedDataSource ds, String album, Path file, boolean create) throws SQLException {
        ds.shards().open(ShardSpec.of(album, "jdbc:sqlite:" + file).withCreate(create));
        if (create) {
            try (Connection c = ds.connectionTo(album); Statement st = c.createStatement()) {
                for (String ddl : MODEL) {
                    st.execute(ddl);
                }
            }
        }
    }

    private static void fill(ShardedDataSource ds, String album, int pictures) throws SQLException {
        try (Connection c = ds.connectionTo(album)) {
            c.setAutoCommit(false);
            try (PreparedStatement pic = c.prepareStatement("INSERT INTO pic (id, file) VALUES (?, ?)");
                    PreparedStatement tag = c.prepareStatement("INSERT INTO tag (id, name) VALUES (?, ?)");
                    PreparedStatement link = c.prepareStatement("INSERT INTO pic_tag (pic_id, tag_id) VALUES (?, ?)")) {
                tag.setInt(1, 1);
                tag.setString(2, album + "-people");
                tag.executeUpdate();
                for (int i = 1; i <= pictures; i++) {
                    pic.setInt(1, i);
                    pic.setString(2, album + "/img" + i + ".jpg");
                    pic.executeUpdate();
                    if (i % 2 == 0) {
                        link.setInt(1, i);
                        link.setInt(2, 1);
                        link.executeUpdate();
                    }
                }
            }
            c.commit();
        }
    }

    private static List<String> tagged(ShardedDataSource ds, String album) throws SQLException {
        List<String> files = new ArrayList<>();
        try (Connection c = ds.connectionTo(album); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT p.file FROM pic p JOIN pic_tag pt ON pt.pic_id = p.id"
                        + " JOIN tag t ON t.id = pt.tag_id WHERE t.name LIKE '%people' ORDER BY p.id")) {
            while (rs.next()) {
                files.add(rs.getString(1));
            }
        }
        return files;
    }

    @Test
    void albumsOpenTogetherCloseMoveAndReopen() throws Exception {
        try (ShardedDataSource ds = library(60_000, 8)) {
            for (String album : List.of("summer", "winter", "wedding")) {
                openAlbum(ds, album, dir.resolve("albums").resolve(album).resolve("album.db"), true);
            }
            fill(ds, "summer", 4);
            fill(ds, "winter", 6);
            fill(ds, "wedding", 2);
            assertThat(ds.shards().names()).containsExactly("summer", "winter", "wedding");
            assertThat(tagged(ds, "winter")).containsExactly("winter/img2.jpg", "winter/img4.jpg", "winter/img6.jpg");

            ds.shards().close("winter");
            assertThat(ds.shards().isOpen("winter")).isFalse();
            assertThatThrownBy(() -> tagged(ds, "winter")).isInstanceOf(ShardException.class)
                    .hasMessageContaining("shard winter is closed; open it again to use it")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08003"));
            Path from = dir.resolve("albums").resolve("winter");
            Path to = dir.resolve("moved").resolve("winter-2025");
            Files.createDirectories(to.getParent());
            Files.move(from, to);
            assertThat(Files.exists(from)).isFalse();

            openAlbum(ds, "winter", to.resolve("album.db"), false);
            assertThat(tagged(ds, "winter")).containsExactly("winter/img2.jpg", "winter/img4.jpg", "winter/img6.jpg");
            assertThat(tagged(ds, "summer")).containsExactly("summer/img2.jpg", "summer/img4.jpg");
        }
    }

    @Test
    void idlePoolsCloseAndReopenOnNextUse() throws Exception {
        try (ShardedDataSource ds = library(200, 8)) {
            // pools start on first use: warm the pool and driver classes up first, so the album's
            // first use is quicker than its 200 ms idle timeout
            try (Connection c = ds.connectionTo("catalog"); Statement st = c.createStatement()) {
                st.execute("SELECT 1");
            }
            openAlbum(ds, "a", dir.resolve("a.db"), true);
            assertThat(ds.shards().openPools()).isEqualTo(1);
            long deadline = System.currentTimeMillis() + 10_000;
            while (ds.shards().openPools() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(ds.shards().openPools()).as("the idle pool closed").isZero();
            Files.delete(dir.resolve("a.db"));
            assertThat(Files.exists(dir.resolve("a.db"))).as("a closed pool released the file").isFalse();
            assertThatThrownBy(() -> openAlbumAgain(ds)).isInstanceOf(ShardException.class)
                    .hasMessageContaining("shard a: database file " + dir.resolve("a.db") + " is missing");
            assertThat(Files.exists(dir.resolve("a.db"))).as("a deleted file is not created again").isFalse();
            Files.createFile(dir.resolve("a.db"));
            openAlbumAgain(ds);
        }
    }

    private void openAlbumAgain(ShardedDataSource ds) throws SQLException {
        try (Connection c = ds.connectionTo("a"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE pic (id INTEGER PRIMARY KEY, file TEXT)");
        }
        assertThat(ds.shards().openPools()).isEqualTo(1);
    }

    @Test
    @SuppressWarnings("try") // x is closed inside its try on purpose: that gives z a connection under the cap
    void allRuntimeShardsTogetherHoldAtMostTheCap() throws Exception {
        try (ShardedDataSource ds = ShardedDataSource.builder()
                .shard(ShardSpec.of("catalog", "jdbc:sqlite:" + dir.resolve("catalog.db")).withCreate(true))
                .pool("connectionTimeout", 300)
                .runtimeConnectionCap(2)
                .build()) {
            for (String album : List.of("x", "y", "z")) {
                ds.shards().open(ShardSpec.of(album, "jdbc:sqlite:" + dir.resolve(album + ".db")).withCreate(true));
            }
            try (Connection x = ds.connectionTo("x"); Connection y = ds.connectionTo("y");
                    Connection z = ds.connectionTo("z")) {
                x.createStatement().execute("CREATE TABLE t (a INTEGER)");
                y.createStatement().execute("CREATE TABLE t (a INTEGER)");
                assertThatThrownBy(() -> z.createStatement().execute("CREATE TABLE t (a INTEGER)"))
                        .isInstanceOf(ShardException.class)
                        .hasMessageContaining("runtime shards hold 2 connections, the cap (settings.runtimeConnectionCap)")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08004"));
                x.close();
                z.createStatement().execute("CREATE TABLE t (a INTEGER)");
            }
        }
    }

    @Test
    void runtimeShardNamesAndUrlsAreChecked() throws Exception {
        try (ShardedDataSource ds = library(60_000, 4)) {
            assertThatThrownBy(() -> ds.shards().open("catalog", "jdbc:sqlite:" + dir.resolve("c2.db")))
                    .hasMessageContaining("shard catalog is configured in the shard map");
            assertThatThrownBy(() -> ds.shards().open("bad", "sqlite:x.db")).hasMessageContaining("malformed JDBC URL");
            ds.shards().open(ShardSpec.of("once", "jdbc:sqlite:" + dir.resolve("once.db")).withCreate(true));
            assertThatThrownBy(() -> ds.shards().open("once", "jdbc:sqlite:" + dir.resolve("once.db")))
                    .hasMessageContaining("shard once is already open");
            assertThatThrownBy(() -> ds.shards().close("catalog")).hasMessageContaining("closes with the data source");
            assertThatThrownBy(() -> ds.shards().close("nope")).hasMessageContaining("unknown shard 'nope'");
        }
    }

    @Test
    void creatingADatabaseRunsItsDdlAndAFailureLeavesItClosed() throws Exception {
        try (ShardedDataSource ds = library(60_000, 4)) {
            ds.shards().create("autumn", "jdbc:sqlite:" + dir.resolve("autumn.db"), "album/model.sql");
            fill(ds, "autumn", 3);
            assertThat(tagged(ds, "autumn")).containsExactly("autumn/img2.jpg");
            assertThatThrownBy(() -> ds.shards().create("bad", "jdbc:sqlite:" + dir.resolve("bad.db"), "album/broken.sql"))
                    .isInstanceOf(ShardException.class).hasMessageContaining("album/broken.sql, statement 2");
            assertThat(ds.shards().isOpen("bad")).isFalse();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("bad.db"));
                    ResultSet rs = c.getMetaData().getTables(null, null, "pic", null)) {
                assertThat(rs.next()).as("the failed DDL was rolled back").isFalse();
            }
            assertThatThrownBy(() -> ds.shards().create("none", "jdbc:sqlite:" + dir.resolve("none.db"), "album/nope.sql"))
                    .hasMessageContaining("is not on the class path");
        }
    }
}
