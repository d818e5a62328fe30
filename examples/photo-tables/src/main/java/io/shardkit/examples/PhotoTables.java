package io.shardkit.examples;

import io.shardkit.ShardedDataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed recipes' {@code table_<md5>} shape: one logical table {@code photos} stored as 256
 * physical tables {@code photos_00 .. photos_ff} in one SQLite file, each album's photos in the
 * table named by the first two hex characters of MD5 of its key. The program creates the 256
 * tables with one {@code CREATE TABLE photos}, inserts photos of several albums, reads one album by
 * key (one physical table, shown by {@code explain}), reads across every table (ORDER BY/LIMIT,
 * COUNT(*)) and reads one physical table by its own name.
 *
 * <p>Run from the repository root: {@code mvn -q -B -f examples/photo-tables exec:java}. The file
 * goes to {@code --dir} (default: the system property {@code example.dir}, else
 * {@code target/photo-tables}); every run starts afresh.
 */
public final class PhotoTables {
    static final List<String> ALBUMS = List.of("summer-2024", "city-trips", "family", "abc", "wedding", "hiking");
    static final int PER_ALBUM = 5;
    static final String MAP = """
            shards:
              - {name: s0, url: "jdbc:sqlite:FILE", create: true}
            tables:
              photos:
                key: album_key
                split: {by: album_key, as: {type: md5, chars: 2}, name: "photos_{hex}"}
            """;

    /** What the run saw, for the test to check against the file. */
    public record Summary(Path file, List<String> album, String explain, List<String> newest, long total,
            String physical, List<String> direct) {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("example.dir", "target/photo-tables"));
        if (args.length == 2 && args[0].equals("--dir")) {
            dir = Path.of(args[1]);
        }
        run(dir, System.out);
    }

    public static Summary run(Path dir, PrintStream out) throws IOException, SQLException {
        Files.createDirectories(dir);
        Path file = dir.resolve("photos.db");
        Files.deleteIfExists(file);
        String yaml = MAP.replace("FILE", file.toString());
        try (ShardedDataSource ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
                Connection c = ds.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE photos (photo_id INTEGER PRIMARY KEY, album_key TEXT NOT NULL, file TEXT NOT NULL,"
                        + " taken_at TEXT NOT NULL)");
            }
            out.println("created " + ds.tables().physical("photos").get("s0").size() + " physical tables (photos_00 .. photos_ff)");
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO photos (photo_id, album_key, file, taken_at) VALUES (?, ?, ?, ?)")) {
                int id = 1;
                for (String album : ALBUMS) {
                    for (int i = 0; i < PER_ALBUM; i++) {
                        ps.setInt(1, id);
                        ps.setString(2, album);
                        ps.setString(3, album + "/img_" + i + ".jpg");
                        ps.setString(4, String.format("2024-%02d-%02d 10:00:00", 1 + id % 12, 1 + id % 28));
                        ps.addBatch();
                        id++;
                    }
                }
                ps.executeBatch();
            }
            String byKey = "SELECT file FROM photos WHERE album_key = ? ORDER BY file";
            String explain = ds.explain(byKey, "abc").toString();
            out.println("== one album by key\n" + explain);
            List<String> album = strings(c, byKey, "abc");
            out.println(album);
            List<String> newest = strings(c, "SELECT file FROM photos ORDER BY taken_at DESC, file LIMIT 3");
            out.println("== newest 3 across all 256 tables: " + newest);
            long total = Long.parseLong(strings(c, "SELECT COUNT(*) FROM photos").get(0));
            out.println("== COUNT(*) across all tables: " + total);
            String physical = ds.shardMap().tables().get("photos").split().physical(
                    ds.shardMap().tables().get("photos").split().suffix("photos", "abc"));
            List<String> direct = strings(c, "SELECT file FROM " + physical + " ORDER BY file");
            out.println("== SELECT * FROM " + physical + " (a physical table by name): " + direct);
            return new Summary(file, album, explain, newest, total, physical, direct);
        }
    }

    private static List<String> strings(Connection c, String sql, Object... params) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private PhotoTables() {
    }
}
