package io.shardkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the example, then reads the SQLite file directly (plain JDBC, not through shardkit): 256
 * physical tables, each album's photos in the table MD5 of its key names and nowhere else, and the
 * example's answers equal to what the file holds.
 */
class PhotoTablesTest {
    @TempDir
    Path dir;

    static String hex2(String key) throws Exception {
        byte[] d = MessageDigest.getInstance("MD5").digest(key.getBytes(StandardCharsets.UTF_8));
        return String.format("%032x", new BigInteger(1, d)).substring(0, 2);
    }

    @Test
    void photosLiveInTheTableMd5OfTheirAlbumNamesAndTheReadsAgree() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PhotoTables.Summary s = PhotoTables.run(dir, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(hex2("abc")).isEqualTo("90");

        Map<String, Integer> expected = new TreeMap<>();
        for (String album : PhotoTables.ALBUMS) {
            expected.merge("photos_" + hex2(album), PhotoTables.PER_ALBUM, Integer::sum);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + s.file()); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).hasSize(256).startsWith("photos_00", "photos_01").endsWith("photos_ff");
            long sum = 0;
            for (String t : tables) {
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + t)) {
                    rs.next();
                    assertThat(rs.getInt(1)).as(t).isEqualTo(expected.getOrDefault(t, 0));
                    sum += rs.getInt(1);
                }
                for (String album : PhotoTables.ALBUMS) {
                    try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + t + " WHERE album_key = '" + album + "'")) {
                        rs.next();
                        assertThat(rs.getInt(1)).as(album + " in " + t)
                                .isEqualTo(t.equals("photos_" + hex2(album)) ? PhotoTables.PER_ALBUM : 0);
                    }
                }
            }
            assertThat(s.total()).isEqualTo(sum).isEqualTo((long) PhotoTables.ALBUMS.size() * PhotoTables.PER_ALBUM);

            List<String> newest = new ArrayList<>();
            StringBuilder union = new StringBuilder();
            for (String t : tables) {
                union.append(union.length() == 0 ? "" : " UNION ALL ").append("SELECT file, taken_at FROM ").append(t);
            }
            try (ResultSet rs = st.executeQuery(union + " ORDER BY taken_at DESC, file LIMIT 3")) {
                while (rs.next()) {
                    newest.add(rs.getString(1));
                }
            }
            assertThat(s.newest()).hasSize(3).isEqualTo(newest);
        }
        assertThat(s.physical()).isEqualTo("photos_90");
        assertThat(s.album()).hasSize(PhotoTables.PER_ALBUM).allMatch(f -> f.startsWith("abc/")).isEqualTo(s.direct());
        assertThat(s.explain()).contains("photos_90").doesNotContain("photos_91");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("created 256 physical tables");
    }
}
