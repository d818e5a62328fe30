package io.shardkit.examples;

import io.shardkit.ShardedDataSource;
import io.shardkit.config.ShardSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A photo library with one SQLite file per album folder ({@code albums/<name>/album.db}), every
 * album with the same model ({@code pic}, {@code tag}, {@code pic_tag}). The albums are shards
 * opened at runtime ({@code ds.shards().open}); a catalog database, the one configured shard, says
 * where each album lives. The program opens three albums (creating the model in new ones), fills
 * them, queries one album for the pictures with a tag, closes it, moves its folder to another place
 * ({@code external/<name>}), reopens it from there and runs the same query again.
 *
 * <p>Run from the repository root: {@code mvn -q -B -f examples/photo-albums exec:java}, sized with
 * {@code -Dexec.args="--pictures 200"}. The files go to {@code --dir} (default: the system property
 * {@code example.dir}, else {@code target/photo-albums}); every run starts afresh. The seed is fixed.
 */
public final class PhotoAlbums {
    static final List<String> ALBUMS = List.of("summer-2024", "city-trips", "family");
    static final List<String> TAGS = List.of("beach", "sunset", "family", "food", "city", "night", "dog", "mountain");
    static final String QUERIED = "summer-2024";
    static final String TAG = "beach";
    static final String TAGGED = "SELECT p.file, p.taken_at FROM pic p JOIN pic_tag pt ON pt.pic_id = p.pic_id"
            + " JOIN tag t ON t.tag_id = pt.tag_id WHERE t.name = ? ORDER BY p.taken_at, p.file";
    private static final List<String> MODEL = List.of(
            "CREATE TABLE pic (pic_id INTEGER PRIMARY KEY, file TEXT NOT NULL, taken_at TEXT NOT NULL)",
            "CREATE TABLE tag (tag_id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
            "CREATE TABLE pic_tag (pic_id INTEGER NOT NULL REFERENCES pic, tag_id INTEGER NOT NULL REFERENCES tag,"
                    + " PRIMARY KEY (pic_id, tag_id))");

    public record Options(Path dir, int pictures, long seed) {
        public static Options parse(String... args) {
            Path dir = Path.of(System.getProperty("example.dir", "target/photo-albums"));
            int pictures = 40;
            long seed = 42;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
                String v = args[i + 1];
                switch (args[i]) {
                    case "--dir" -> dir = Path.of(v);
                    case "--pictures" -> pictures = Integer.parseInt(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + " (known: --dir, --pictures, --seed)");
                }
            }
            return new Options(dir, pictures, seed);
        }
    }

    /**
     * What a run did.
     *
     * @param pictures album → pictures, counted in each album after filling
     * @param before the queried album's pictures tagged {@value #TAG} ({@code file taken_at}), before the move
     * @param after the same query after the album was reopened from {@code movedTo}
     * @param whileClosed the error a statement on the album got while it was closed, with its SQLState
     */
    public record Summary(Map<String, Long> pictures, List<String> before, List<String> after, Path movedFrom,
            Path movedTo, String whileClosed, List<String> openAtEnd) {
    }

    private PhotoAlbums() {
    }

    public static void main(String[] args) throws Exception {
        run(Options.parse(args), System.out);
    }

    public static Summary run(Options o, PrintStream out) throws SQLException, IOException {
        Path dir = o.dir();
        clean(dir);
        try (ShardedDataSource ds = ShardedDataSource.builder()
                .shard(ShardSpec.of("catalog", "jdbc:sqlite:" + dir.resolve("catalog.db")).withCreate(true))
                .defaultShard("catalog")        // tables no rule names (album) live in the catalog
                .build()) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE album (name TEXT PRIMARY KEY, url TEXT NOT NULL)");
            }
            out.println("photo albums in " + dir + ": one SQLite file per album, opened at runtime");
            Map<String, Long> pictures = new LinkedHashMap<>();
            for (int a = 0; a < ALBUMS.size(); a++) {
                String album = ALBUMS.get(a);
                String url = "jdbc:sqlite:" + dir.resolve("albums").resolve(album).resolve("album.db");
                catalog(ds, album, url);
                open(ds, album, url, true, out);
                fill(ds, album, o.pictures(), new Random(o.seed() + a));
                pictures.put(album, count(ds, album));
            }
            out.println("open albums: " + ds.shards().names() + ", pictures: " + pictures);

            List<String> before = tagged(ds, QUERIED);
            out.println("\n" + QUERIED + ": " + before.size() + " pictures tagged " + TAG);
            for (String p : before) {
                out.println("  " + p);
            }

            ds.shards().close(QUERIED);
            String whileClosed;
            try (Connection c = ds.connectionTo(QUERIED); Statement st = c.createStatement()) {
                st.executeQuery("SELECT COUNT(*) FROM pic").close();
                whileClosed = "(not refused?)";
            } catch (SQLException e) {
                whileClosed = e.getMessage() + " (SQLState " + e.getSQLState() + ")";
            }
            out.println("\nclosed " + QUERIED + "; a statement on it now fails: " + whileClosed);
            Path from = dir.resolve("albums").resolve(QUERIED);
            Path to = dir.resolve("external").resolve(QUERIED);
            Files.createDirectories(to.getParent());
            Files.move(from, to);
            catalog(ds, QUERIED, "jdbc:sqlite:" + to.resolve("album.db"));
            out.println("moved its folder " + from + " -> " + to);

            open(ds, QUERIED, url(ds, QUERIED), false, out);
            List<String> after = tagged(ds, QUERIED);
            out.println(QUERIED + " reopened: " + after.size() + " pictures tagged " + TAG
                    + (after.equals(before) ? ", the same as before the move" : ", NOT the same as before the move"));
            List<String> open = ds.shards().names();
            out.println("open albums: " + open);
            return new Summary(pictures, before, after, from, to, whileClosed, open);
        }
    }

    /** Removes the files of an earlier run: only those this program makes, then their empty folders. */
    private static void clean(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(dir.resolve("catalog.db"));
        for (String album : ALBUMS) {
            files.add(dir.resolve("albums").resolve(album).resolve("album.db"));
            files.add(dir.resolve("external").resolve(album).resolve("album.db"));
        }
        for (Path f : files) {
            for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
                Files.deleteIfExists(f.resolveSibling(f.getFileName() + suffix));
            }
            if (!f.getFileName().toString().equals("catalog.db") && Files.isDirectory(f.getParent())) {
                try (var left = Files.list(f.getParent())) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(f.getParent());
                    }
                }
            }
        }
    }

    /**
     * Opens an album; a new one (no {@code pic} table yet) gets the model. Only {@code create} makes
     * a missing file: reopening a moved album must find it, not start an empty one.
     */
    private static void open(ShardedDataSource ds, String album, String url, boolean create, PrintStream out)
            throws SQLException {
        ds.shards().open(ShardSpec.of(album, url).withCreate(create));
        try (Connection c = ds.connectionTo(album); Statement st = c.createStatement()) {
            boolean known;
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'pic'")) {
                known = rs.next() && rs.getInt(1) == 1;
            }
            if (known) {
                out.println("opened album " + album + " (" + count(ds, album) + " pictures) from " + url);
                return;
            }
            for (String ddl : MODEL) {
                st.execute(ddl);
            }
            out.println("opened album " + album + ", new: model created (pic, tag, pic_tag) in " + url);
        }
    }

    /** One transaction on the album: the tags, then pictures each tagged with one to three of them. */
    private static void fill(ShardedDataSource ds, String album, int pictures, Random random) throws SQLException {
        LocalDateTime start = LocalDateTime.of(2024, 1 + random.nextInt(12), 1, 8, 0);
        try (Connection c = ds.connectionTo(album);
                PreparedStatement tag = c.prepareStatement("INSERT INTO tag (tag_id, name) VALUES (?, ?)");
                PreparedStatement pic = c.prepareStatement("INSERT INTO pic (pic_id, file, taken_at) VALUES (?, ?, ?)");
                PreparedStatement link = c.prepareStatement("INSERT OR IGNORE INTO pic_tag (pic_id, tag_id) VALUES (?, ?)")) {
            c.setAutoCommit(false);
            for (int t = 0; t < TAGS.size(); t++) {
                tag.setInt(1, t + 1);
                tag.setString(2, TAGS.get(t));
                tag.executeUpdate();
            }
            for (int p = 1; p <= pictures; p++) {
                pic.setInt(1, p);
                pic.setString(2, String.format("IMG_%04d.jpg", p));
                pic.setString(3, start.plusMinutes(random.nextInt(14 * 24 * 60)).toString().replace('T', ' '));
                pic.executeUpdate();
                for (int n = 1 + random.nextInt(3); n > 0; n--) {
                    link.setInt(1, p);
                    link.setInt(2, 1 + random.nextInt(TAGS.size()));
                    link.executeUpdate();
                }
            }
            c.commit();
        }
    }

    /** The catalog row of an album: tables the map does not name go to the default shard. */
    private static void catalog(ShardedDataSource ds, String album, String url) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO album (name, url) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET url = excluded.url")) {
            ps.setString(1, album);
            ps.setString(2, url);
            ps.executeUpdate();
        }
    }

    private static String url(ShardedDataSource ds, String album) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT url FROM album WHERE name = ?")) {
            ps.setString(1, album);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("album " + album + " is not in the catalog");
                }
                return rs.getString(1);
            }
        }
    }

    private static long count(ShardedDataSource ds, String album) throws SQLException {
        try (Connection c = ds.connectionTo(album); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM pic")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Runs on the album's file as written: {@code connectionTo} bypasses routing. */
    static List<String> tagged(ShardedDataSource ds, String album) throws SQLException {
        List<String> files = new ArrayList<>();
        try (Connection c = ds.connectionTo(album); PreparedStatement ps = c.prepareStatement(TAGGED)) {
            ps.setString(1, TAG);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    files.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
        }
        return files;
    }
}
