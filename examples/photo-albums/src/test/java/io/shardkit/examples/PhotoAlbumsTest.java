package io.shardkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.examples.PhotoAlbums.Options;
import io.shardkit.examples.PhotoAlbums.Summary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the example small (twice, into the same folder: a rerun starts afresh), then reads the album
 * files and the catalog directly (not through shardkit) and checks the example's answers against them.
 */
class PhotoAlbumsTest {
    static final int PICTURES = 30;

    @TempDir
    Path dir;

    @Test
    void albumClosedMovedAndReopenedAnswersAsBefore() throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        PhotoAlbums.run(new Options(dir, PICTURES, 42), quiet);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Summary s = PhotoAlbums.run(new Options(dir, PICTURES, 42), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(s.movedFrom()).isEqualTo(dir.resolve("albums").resolve(PhotoAlbums.QUERIED));
        assertThat(s.movedTo()).isEqualTo(dir.resolve("external").resolve(PhotoAlbums.QUERIED));
        assertThat(s.movedFrom()).doesNotExist();
        Path moved = s.movedTo().resolve("album.db");
        assertThat(moved).isRegularFile();

        assertThat(s.before()).isNotEmpty().isEqualTo(s.after()).isEqualTo(tagged(moved));
        assertThat(s.whileClosed()).contains("shard " + PhotoAlbums.QUERIED + " is closed", "SQLState 08003");
        assertThat(s.openAtEnd()).containsExactlyInAnyOrderElementsOf(PhotoAlbums.ALBUMS);

        for (String album : PhotoAlbums.ALBUMS) {
            Path file = album.equals(PhotoAlbums.QUERIED) ? moved : dir.resolve("albums").resolve(album).resolve("album.db");
            assertThat(count(file, "SELECT COUNT(*) FROM pic")).as("pictures of " + album).isEqualTo(PICTURES);
            assertThat(count(file, "SELECT COUNT(*) FROM tag")).isEqualTo(PhotoAlbums.TAGS.size());
            assertThat(count(file, "SELECT COUNT(*) FROM pic p WHERE NOT EXISTS"
                    + " (SELECT 1 FROM pic_tag pt WHERE pt.pic_id = p.pic_id)")).as("untagged in " + album).isZero();
            assertThat(s.pictures()).containsEntry(album, (long) PICTURES);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("catalog.db"));
                PreparedStatement ps = c.prepareStatement("SELECT url FROM album WHERE name = ?")) {
            ps.setString(1, PhotoAlbums.QUERIED);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("jdbc:sqlite:" + moved);
            }
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("opened album " + PhotoAlbums.QUERIED + ", new: model created")
                .contains("opened album " + PhotoAlbums.QUERIED + " (" + PICTURES + " pictures) from jdbc:sqlite:" + moved)
                .contains("the same as before the move");
    }

    private static List<String> tagged(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                PreparedStatement ps = c.prepareStatement(PhotoAlbums.TAGGED)) {
            ps.setString(1, PhotoAlbums.TAG);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
        }
        return out;
    }

    private static long count(Path file, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
