package io.shardkit.reshard;

import io.shardkit.ShardedDataSource;
import io.shardkit.internal.IdBlockTable;
import io.shardkit.pool.AdminConnections;
import io.shardkit.reshard.MoveLedger.Move;
import io.shardkit.sql.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The {@link Mover}'s work on the shards, step by step: prepare (triggers and moving buckets on the
 * sources, the wait for older writers), copy in key chunks, catch up from the change logs, verify.
 * Each step is idempotent; the mover records in the ledger which ones are done.
 */
final class MoveWork {
    private final ShardedDataSource ds;
    private final Resharding resharding;
    private final Map<String, String> keys;
    private final int buckets;
    int chunk = 1000;
    Consumer<String> progress = line -> {
    };

    MoveWork(ShardedDataSource ds, Resharding resharding, Map<String, String> keys, int buckets) {
        this.ds = ds;
        this.resharding = resharding;
        this.keys = keys;
        this.buckets = buckets;
    }

    private static Mover.Faults faults() {
        return Mover.faults;
    }

    void prepare(List<Move> moves) throws SQLException {
        for (Move m : moves) {
            try (Connection s = open(m.source()); Connection t = open(m.target())) {
                if (keys.containsKey(IdBlockTable.TABLE)) {
                    Fences.createIdBlocks(s, t);
                }
                for (TableMove tm : tables(m, s, t)) {
                    MoveTriggers.install(s, tm.table, keys.get(tm.table), tm.pkColumns(), buckets);
                }
                Fences.unfenceOnTarget(t, BucketSql.array(m.buckets()));
            }
        }
        for (Map.Entry<String, BitSet> e : bySource(moves).entrySet()) {
            try (Connection s = open(e.getKey())) {
                MoveTriggers.moving(s, BucketSql.array(e.getValue()));
                Fences.waitForOlderWriters(s);
            }
        }
        faults().at("prepared");
        progress.accept("prepared: triggers on " + bySource(moves).keySet() + " log changes to the moving buckets");
    }

    void copy(List<Move> moves) throws SQLException {
        for (Move m : moves) {
            long rows = 0;
            long t0 = System.nanoTime();
            try (Connection s = open(m.source()); Connection t = open(m.target())) {
                for (TableMove tm : tables(m, s, t)) {
                    Object[] after = null;
                    while (true) {
                        List<Object[]> batch = tm.chunk(s, after, chunk);
                        tm.write(t, batch);
                        rows += batch.size();
                        faults().at("copy-chunk");
                        if (batch.size() < chunk) {
                            break;
                        }
                        after = tm.key(batch.get(batch.size() - 1));
                    }
                }
            }
            try (Connection c = resharding.control()) {
                MoveLedger.rowsCopied(c, m, rows);
            }
            double secs = Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
            progress.accept("copied " + m.source() + " → " + m.target() + ": " + rows + " rows in "
                    + String.format(java.util.Locale.ROOT, "%.2f s (%.0f rows/s)", secs, rows / secs));
        }
    }

    /**
     * Replays each source's change log onto the targets, a chunk at a time, deleting each chunk's
     * entries once replayed. Until {@code drain}, stops at a chunk that was not full (caught up
     * with the writers) or once it has replayed as many entries as the log held when it began (so
     * writers faster than the replay cannot keep it going forever: the drain after the fence
     * replays the rest); draining (after the fence, when nothing new is logged) stops at an empty log.
     */
    long catchUp(List<Move> moves, boolean drain) throws SQLException {
        long replayed = 0;
        for (Map.Entry<String, List<Move>> e : movesBySource(moves).entrySet()) {
            try (Connection s = open(e.getKey())) {
                long budget = drain ? Long.MAX_VALUE : Math.max(chunk, Fences.pending(s, keys.keySet()));
                long done = 0;
                List<Connection> targets = new ArrayList<>();
                try {
                    List<List<TableMove>> tms = new ArrayList<>();
                    for (Move m : e.getValue()) {
                        Connection t = open(m.target());
                        targets.add(t);
                        tms.add(tables(m, s, t));
                    }
                    while (true) {
                        List<MoveTriggers.Change> changes = Fences.changes(s, keys.keySet(), chunk);
                        Map<String, List<String>> byTable = new LinkedHashMap<>();
                        for (MoveTriggers.Change c : changes) {
                            byTable.computeIfAbsent(c.table(), k -> new ArrayList<>()).add(c.pk());
                        }
                        for (int i = 0; i < tms.size(); i++) {
                            for (TableMove tm : tms.get(i)) {
                                List<String> pks = byTable.get(tm.table);
                                if (pks != null) {
                                    tm.replay(s, targets.get(i), pks);
                                }
                            }
                        }
                        Fences.clear(s, changes);
                        replayed += changes.size();
                        done += changes.size();
                        faults().at("catchup-chunk");
                        if (changes.isEmpty() || !drain && (changes.size() < chunk || done >= budget)) {
                            break;
                        }
                    }
                } finally {
                    for (Connection t : targets) {
                        t.close();
                    }
                }
            }
        }
        return replayed;
    }

    long verify(List<Move> moves) throws SQLException {
        long fixed = 0;
        for (Move m : moves) {
            try (Connection s = open(m.source()); Connection t = open(m.target())) {
                for (TableMove tm : tables(m, s, t)) {
                    fixed += tm.verify(s, t, chunk);
                    faults().at("verify-table");
                }
            }
        }
        return fixed;
    }


    /**
     * An admin connection to {@code shard} (unpooled, unrouted: the mover's trigger DDL holds
     * several statements, and its deletes pass its own fence); SQLite waits up to 10 s for the
     * file's write lock as the pools do.
     */
    Connection open(String shard) throws SQLException {
        Connection c = ds.unwrap(AdminConnections.class).open(shard);
        if (ControlTable.kind(c) == Dialect.SQLITE) {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("PRAGMA busy_timeout = " + Fences.WAIT_SECONDS * 1000);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    List<TableMove> tables(Move m, Connection s, Connection t) throws SQLException {
        List<TableMove> out = new ArrayList<>();
        for (Map.Entry<String, String> k : keys.entrySet()) {
            out.add(TableMove.of(s, m.source(), t, m.target(), k.getKey(), k.getValue(), buckets, m.buckets()));
        }
        return out;
    }

    static Map<String, BitSet> bySource(List<Move> moves) {
        Map<String, BitSet> out = new LinkedHashMap<>();
        for (Move m : moves) {
            out.computeIfAbsent(m.source(), k -> new BitSet()).or(m.buckets());
        }
        return out;
    }

    static Map<String, List<Move>> movesBySource(List<Move> moves) {
        Map<String, List<Move>> out = new LinkedHashMap<>();
        for (Move m : moves) {
            out.computeIfAbsent(m.source(), k -> new ArrayList<>()).add(m);
        }
        return out;
    }
}
