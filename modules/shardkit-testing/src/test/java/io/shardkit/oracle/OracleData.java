package io.shardkit.oracle;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The rows of the differential oracle, made from a seed: players and their matches (sharded by
 * player_id, co-located) and a broadcast table of regions. Chosen to hit the merge's edges:
 * NULLs in most columns (the region is a nullable group key), many ties (level, score rounded to
 * tens, a small pool of names), negative keys and values, and coins near 10^15 so that sums
 * outgrow an int and, on PostgreSQL, come back as numeric, without overflowing BIGINT anywhere.
 */
final class OracleData {
    static final int PLAYERS = 400;
    static final int MATCHES = 1500;

    /** The same DDL runs on the reference database and, through shardkit, on the shards. */
    static final List<String> DDL = List.of(
            "CREATE TABLE players (player_id BIGINT PRIMARY KEY, name VARCHAR(40), region VARCHAR(8), level INT,"
                    + " score INT, coins BIGINT, rating DECIMAL(10,2), speed DOUBLE PRECISION)",
            "CREATE TABLE matches (match_id BIGINT, player_id BIGINT, points INT, duration INT,"
                    + " PRIMARY KEY (match_id, player_id))",
            "CREATE TABLE regions (code VARCHAR(8) PRIMARY KEY, name VARCHAR(40))");

    static final List<String> DROP = List.of("DROP TABLE IF EXISTS players", "DROP TABLE IF EXISTS matches",
            "DROP TABLE IF EXISTS regions");

    private static final String[] NAMES = {"ana", "Ana", "bo", "Bo", "cyd", "dee", "eli", "fay", "gus", "hal",
        "ivy", "jo", "kai", "lu", "max", "ned", "oli", "pia", "quin", "rex", "sam", "tia", "uma", "vic", "wes",
        "xan", "yul", "zoe", "Zed", "al"};
    /** 'sa' has players but no row in regions, so an inner join with regions drops them. */
    private static final String[] REGIONS = {"eu", "eu", "eu", "us", "us", "us", "asia", "asia", "sa", null};

    record Player(long id, String name, String region, int level, Integer score, long coins, BigDecimal rating,
            Double speed) {
    }

    record Match(long matchId, long playerId, Integer points, int duration) {
    }

    final List<Player> players = new ArrayList<>();
    final List<Match> matches = new ArrayList<>();
    /** Player ids in insertion order, for key predicates. */
    final List<Long> ids = new ArrayList<>();

    static OracleData generate(long seed) {
        Random r = new Random(seed);
        OracleData d = new OracleData();
        Set<Long> used = new HashSet<>();
        while (d.ids.size() < PLAYERS) {
            long id = r.nextInt(3000) - 40;
            if (used.add(id)) {
                d.ids.add(id);
            }
        }
        for (long id : d.ids) {
            String name = r.nextInt(40) == 0 ? null : NAMES[r.nextInt(NAMES.length)];
            String region = REGIONS[r.nextInt(REGIONS.length)];
            int level = 1 + r.nextInt(10);
            Integer score = r.nextInt(20) == 0 ? null
                    : r.nextBoolean() ? (r.nextInt(550) - 50) * 10 : r.nextInt(5500) - 500;
            long coins = switch (r.nextInt(10)) {
                case 0, 1 -> 999_000_000_000_000L + r.nextInt(1_000_000_000);
                case 2 -> -r.nextInt(100_000);
                default -> r.nextInt(100_000);
            };
            BigDecimal rating = r.nextInt(12) == 0 ? null : BigDecimal.valueOf(r.nextInt(1_010_000) - 10_000, 2);
            if (rating != null && r.nextInt(5) == 0) {
                rating = rating.setScale(0, RoundingMode.DOWN).setScale(2);
            }
            Double speed = r.nextInt(10) == 0 ? null : (1 + r.nextInt(99_999)) / 1000.0;
            d.players.add(new Player(id, name, region, level, score, coins, rating, speed));
        }
        // a quarter of the players never played; a few matches name players that do not exist
        Set<String> pairs = new HashSet<>();
        while (d.matches.size() < MATCHES) {
            long matchId = 1 + r.nextInt(700);
            long player = r.nextInt(60) == 0 ? 5000 + r.nextInt(50) : d.ids.get(r.nextInt(PLAYERS * 3 / 4));
            if (pairs.add(matchId + ":" + player)) {
                Integer points = r.nextInt(20) == 0 ? null : r.nextInt(320) - 20;
                d.matches.add(new Match(matchId, player, points, 60 + r.nextInt(3541)));
            }
        }
        return d;
    }

    /** Creates the tables and inserts every row through {@code c} (shardkit's or the reference's), in batches. */
    void load(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String sql : DROP) {
                st.execute(sql);
            }
            for (String sql : DDL) {
                st.execute(sql);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO players (player_id, name, region, level, score,"
                + " coins, rating, speed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Player p : players) {
                ps.setLong(1, p.id());
                setString(ps, 2, p.name());
                setString(ps, 3, p.region());
                ps.setInt(4, p.level());
                if (p.score() == null) {
                    ps.setNull(5, Types.INTEGER);
                } else {
                    ps.setInt(5, p.score());
                }
                ps.setLong(6, p.coins());
                if (p.rating() == null) {
                    ps.setNull(7, Types.DECIMAL);
                } else {
                    ps.setBigDecimal(7, p.rating());
                }
                if (p.speed() == null) {
                    ps.setNull(8, Types.DOUBLE);
                } else {
                    ps.setDouble(8, p.speed());
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO matches (match_id, player_id, points, duration) VALUES (?, ?, ?, ?)")) {
            for (Match m : matches) {
                ps.setLong(1, m.matchId());
                ps.setLong(2, m.playerId());
                if (m.points() == null) {
                    ps.setNull(3, Types.INTEGER);
                } else {
                    ps.setInt(3, m.points());
                }
                ps.setInt(4, m.duration());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO regions (code, name) VALUES ('eu', 'Europe'), ('us', 'United States'),"
                    + " ('asia', 'Asia'), ('af', 'Africa')");
        }
    }

    private static void setString(PreparedStatement ps, int i, String v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, v);
        }
    }
}
