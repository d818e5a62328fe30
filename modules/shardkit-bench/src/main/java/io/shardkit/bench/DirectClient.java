package io.shardkit.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The floor: the application routes by hand. It holds one connection per shard for the whole run
 * and prepares each shard's SQL once on it; a read over every shard runs the shard queries in
 * parallel on a fixed pool of {@code max(4, shards)} threads (the calling thread runs the last
 * shard itself, as shardkit does) and merges in memory: sort for the top 10, a hash of per-group
 * accumulators for GROUP BY, a k-way streaming merge for the deep page. On PostgreSQL the deep page
 * reads in a transaction with fetch size 1000 so the driver streams, as shardkit does.
 */
final class DirectClient extends Client {
    private static final int FETCH = 1000;

    private final Dataset d;
    private final HikariDataSource[] pools;
    private final Connection[] conns;
    private final PreparedStatement[] point;
    private final PreparedStatement[] insert;
    /** [shard][rows] the INSERT of that many rows on that shard. */
    private final PreparedStatement[][] insertRows;
    private final PreparedStatement[] leaderboard;
    private final PreparedStatement[] groupBy;
    private final PreparedStatement[] page;
    private int pageOffset = -1;
    private final ExecutorService executor;
    private final boolean postgres;

    DirectClient(Dataset d, HikariDataSource[] pools) throws SQLException {
        this.d = d;
        this.pools = pools;
        int n = d.shards;
        this.conns = new Connection[n];
        this.point = new PreparedStatement[n];
        this.insert = new PreparedStatement[n];
        this.insertRows = new PreparedStatement[n][ROWS + 1];
        this.leaderboard = new PreparedStatement[n];
        this.groupBy = new PreparedStatement[n];
        this.page = new PreparedStatement[n];
        this.postgres = d.backend.equals(Dataset.POSTGRES);
        for (int i = 0; i < n; i++) {
            conns[i] = pools[i].getConnection();
        }
        this.executor = Executors.newFixedThreadPool(Math.max(4, n), r -> {
            Thread t = new Thread(r, "direct-scatter");
            t.setDaemon(true);
            return t;
        });
    }

    private PreparedStatement prepared(PreparedStatement[] cache, int shard, String sql) throws SQLException {
        PreparedStatement ps = cache[shard];
        if (ps == null) {
            ps = conns[shard].prepareStatement(sql);
            cache[shard] = ps;
        }
        return ps;
    }

    @Override
    long point(long id) throws SQLException {
        int s = d.shardOf(id);
        PreparedStatement ps = prepared(point, s, POINT);
        ps.setLong(1, id);
        return LogicalClient.readPoint(ps);
    }

    @Override
    long pointFresh(long id) throws SQLException {
        try (Connection c = pools[d.shardOf(id)].getConnection(); PreparedStatement ps = c.prepareStatement(POINT)) {
            ps.setLong(1, id);
            return LogicalClient.readPoint(ps);
        }
    }

    @Override
    void insert(long id, long seq) throws SQLException {
        PreparedStatement ps = prepared(insert, d.shardOf(id), INSERT);
        ps.setLong(1, id);
        ps.setLong(2, seq);
        ps.setLong(3, seq & 1023);
        ps.executeUpdate();
    }

    @Override
    void insertRows(long first, long seq) throws SQLException {
        int n = d.shards;
        int[] count = new int[n];
        for (int r = 0; r < ROWS; r++) {
            count[d.shardOf(first + r)]++;
        }
        for (int s = 0; s < n; s++) {
            if (count[s] == 0) {
                continue;
            }
            PreparedStatement ps = insertRows[s][count[s]];
            if (ps == null) {
                ps = conns[s].prepareStatement(insertSql(count[s]));
                insertRows[s][count[s]] = ps;
            }
            int p = 1;
            for (int r = 0; r < ROWS; r++) {
                if (d.shardOf(first + r) == s) {
                    ps.setLong(p++, first + r);
                    ps.setLong(p++, seq);
                    ps.setLong(p++, seq & 1023);
                }
            }
            ps.executeUpdate();
        }
    }

    /** One shard's part of a scattered read. */
    private interface Part<T> {
        T run(int shard) throws SQLException;
    }

    /** Runs {@code part} on every shard in parallel; the results in shard order. */
    private <T> List<T> scatter(Part<T> part) throws SQLException {
        int n = d.shards;
        List<Future<T>> started = new ArrayList<>(n - 1);
        for (int s = 0; s < n - 1; s++) {
            int shard = s;
            started.add(executor.submit(() -> part.run(shard)));
        }
        T last = part.run(n - 1);
        List<T> out = new ArrayList<>(n);
        try {
            for (Future<T> f : started) {
                out.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SQLException se ? se : new SQLException(e.getCause());
        }
        out.add(last);
        return out;
    }

    private record Row(long id, String name, long score) {
    }

    @Override
    long leaderboard() throws SQLException {
        List<List<Row>> parts = scatter(s -> {
            List<Row> rows = new ArrayList<>(10);
            try (ResultSet rs = prepared(leaderboard, s, LEADERBOARD).executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getLong(3)));
                }
            }
            return rows;
        });
        List<Row> all = new ArrayList<>(10 * parts.size());
        for (List<Row> p : parts) {
            all.addAll(p);
        }
        all.sort((a, b) -> Long.compare(b.score, a.score));
        long h = 0;
        for (int i = 0; i < Math.min(10, all.size()); i++) {
            Row r = all.get(i);
            h = mix(mix(mix(h, r.id), r.name.hashCode()), r.score);
        }
        return h;
    }

    private static final String GROUP_BY_SHARD = "SELECT level, COUNT(*), SUM(score), MIN(score), MAX(score)"
            + " FROM players GROUP BY level";

    @Override
    long groupBy() throws SQLException {
        List<List<long[]>> parts = scatter(s -> {
            List<long[]> groups = new ArrayList<>(50);
            try (ResultSet rs = prepared(groupBy, s, GROUP_BY_SHARD).executeQuery()) {
                while (rs.next()) {
                    groups.add(new long[] {rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)});
                }
            }
            return groups;
        });
        TreeMap<Long, long[]> merged = new TreeMap<>();
        for (List<long[]> p : parts) {
            for (long[] g : p) {
                long[] m = merged.get(g[0]);
                if (m == null) {
                    merged.put(g[0], g.clone());
                } else {
                    m[1] += g[1];
                    m[2] += g[2];
                    m[3] = Math.min(m[3], g[3]);
                    m[4] = Math.max(m[4], g[4]);
                }
            }
        }
        long h = 0;
        for (long[] m : merged.values()) {
            h = mix(h, m[0]);
            h = mix(h, m[1]);
            h = mix(h, m[2]);
            h = mix(h, m[3]);
            h = mix(h, m[4]);
            h = mix(h, Math.round((double) m[2] / m[1]));
        }
        return h;
    }

    /** An open shard result in the k-way merge, ordered by its current score. */
    private static final class Cursor {
        final ResultSet rs;
        long id;
        long score;

        Cursor(ResultSet rs) {
            this.rs = rs;
        }

        boolean advance() throws SQLException {
            if (!rs.next()) {
                return false;
            }
            id = rs.getLong(1);
            score = rs.getLong(2);
            return true;
        }
    }

    @Override
    long page(int offset) throws SQLException {
        if (offset != pageOffset) {
            for (int s = 0; s < d.shards; s++) {
                if (page[s] != null) {
                    page[s].close();
                    page[s] = null;
                }
            }
            pageOffset = offset;
        }
        String shardSql = "SELECT player_id, score FROM players ORDER BY score LIMIT " + (offset + PAGE);
        if (postgres) {
            for (Connection c : conns) {
                c.setAutoCommit(false);
            }
        }
        List<Cursor> cursors = scatter(s -> {
            PreparedStatement ps = prepared(page, s, shardSql);
            ps.setFetchSize(FETCH);
            return new Cursor(ps.executeQuery());
        });
        try {
            PriorityQueue<Cursor> heap = new PriorityQueue<>(cursors.size(), (a, b) -> Long.compare(a.score, b.score));
            for (Cursor c : cursors) {
                if (c.advance()) {
                    heap.add(c);
                }
            }
            long h = 0;
            int skipped = 0;
            int taken = 0;
            while (taken < PAGE && !heap.isEmpty()) {
                Cursor c = heap.poll();
                if (skipped < offset) {
                    skipped++;
                } else {
                    h = mix(mix(h, c.id), c.score);
                    taken++;
                }
                if (c.advance()) {
                    heap.add(c);
                }
            }
            return h;
        } finally {
            for (Cursor c : cursors) {
                c.rs.close();
            }
            if (postgres) {
                for (Connection c : conns) {
                    c.commit();
                    c.setAutoCommit(true);
                }
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            for (Connection c : conns) {
                c.close();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        Contenders.close(pools);
    }
}
