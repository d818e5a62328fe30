package io.shardkit.route;

import static io.shardkit.route.Reasons.note;

import io.shardkit.RefusedException;
import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.config.Archive;
import io.shardkit.config.Cutoff;
import io.shardkit.config.ShardMap;
import io.shardkit.config.TableRule;
import io.shardkit.sql.SqlAnalysis;
import io.shardkit.sql.StatementKind;
import io.shardkit.sql.Tiering;
import io.shardkit.sql.ValueRef;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The hot/archive decisions of a tiered table, for {@link Router}: which tiers a statement reads,
 * which writes check the archive first (the archive probe), when a key lookup stops at the first
 * tier with rows (first-hit), and when a cutoff predicate lets a read skip the archive. Thread-safe
 * and stateless; runs only for statements on a table with an {@code archive:}.
 */
final class TierRouting {
    private final ShardMap map;
    private final ShardNames shardNames;

    TierRouting(ShardMap map, ShardNames shardNames) {
        this.map = map;
        this.shardNames = shardNames;
    }

    /**
     * Adds the archive tier to a decision made over the hot shards. Writes stay hot (UPDATE and
     * DELETE first check the archive for the rows they match, an INSERT for the ids it gives); reads go to hot and then every archive shard unless a cutoff
     * predicate proves a tier holds none of the wanted rows.
     */
    RouteDecision tiered(SqlAnalysis a, Tiering t, RouteDecision hot, Object[] params, StringBuilder why)
            throws SQLException {
        Archive archive = t.archive();
        String tier = cutoffTier(t, params, why);
        boolean skipArchive = "hot".equals(tier);
        boolean skipHot = false;
        int[] archiveShards = shardNames.indexes(archive.shards(), "archive", t.table());
        StatementKind kind = a.kind();
        if (kind == StatementKind.INSERT && t.probeSql() != null && !skipArchive) {
            note(why, "INSERT goes to the hot shards; it first checks archive " + archive.shards() + " for its "
                    + archive.id() + " values (a hot row would shadow an archived row with the same " + archive.id() + ")");
            return hot.withArchiveProbe(archiveShards);
        }
        if (kind == StatementKind.INSERT || kind == StatementKind.DDL) {
            note(why, "archive " + archive.shards() + " is read-only: " + kind + " goes to the hot shards only");
            return hot;
        }
        if (kind == StatementKind.UPDATE || kind == StatementKind.DELETE) {
            if (skipArchive) {
                return hot;
            }
            note(why, kind + " first checks archive " + archive.shards() + " for matching rows (the archive is read-only)");
            return hot.withArchiveProbe(archiveShards);
        }
        if (kind != StatementKind.SELECT || skipArchive) {
            return hot;
        }
        if (t.forUpdate()) {
            throw new ShardException("SELECT ... FOR UPDATE on " + t.table() + " would lock rows in read-only archive shards "
                    + archive.shards() + "; add a cutoff predicate that keeps it in the hot tier [sql: "
                    + ShardException.shorten(a.sql()) + "]", SqlStates.READ_ONLY_SQL_TRANSACTION);
        }
        if (t.joined()) {
            throw new RefusedException("a join of " + t.table() + " with another sharded table across its hot and archive tiers"
                    + " (the other table has no archive)", a.sql());
        }
        int[] hotShards = skipHot ? new int[0] : shardsOf(hot);
        int[] all = new int[hotShards.length + archiveShards.length];
        System.arraycopy(hotShards, 0, all, 0, hotShards.length);
        System.arraycopy(archiveShards, 0, all, hotShards.length, archiveShards.length);
        List<ValueRef> keys = a.keyValues();
        // stopping at the first tier with rows is exact only when the key names one row: the row id
        TableRule rule = map.tables().get(t.table());
        boolean keyIsId = rule != null && archive.id().equals(rule.keyColumn());
        boolean firstHit = keys != null && keys.size() == 1 && keyIsId && !archive.lookupAll()
                && a.mergeConstructs().isEmpty() && all.length > 1;
        note(why, firstHit ? t.table() + " lookup by key: hot first, then archive " + archive.shards() + " in order;"
                + " the first tier with rows answers"
                : t.table() + (skipHot ? "" : ": hot and") + " archive " + archive.shards()
                + (skipHot ? "" : ", archive rows whose " + archive.id() + " is also hot are shadowed by the hot row"));
        return new RouteDecision(all, null, null, hotShards.length, firstHit, null);
    }

    /**
     * Whether a statement's cutoff predicates confine it to the hot tier ("hot"), else {@code null}.
     * Only the archive is ever skipped: the archiver moves nothing newer than the boundary, so a
     * predicate wanting only rows at or after it cannot match an archive row. Hot is never skipped:
     * a row older than the boundary stays hot until the archiver moves it (or was inserted late),
     * and skipping hot would silently lose it.
     */
    private String cutoffTier(Tiering t, Object[] params, StringBuilder why) throws SQLException {
        Cutoff cutoff = t.archive().cutoff();
        if (cutoff == null || t.bounds().isEmpty()) {
            return null;
        }
        Comparable<Object> boundary = boundary(cutoff);
        for (Tiering.CutoffBound b : t.bounds()) {
            Object v = b.value().resolve(params);
            Comparable<Object> value = v == null ? null : comparable(cutoff, v);
            if (value == null) {
                continue;
            }
            int c = value.compareTo(boundary);
            boolean recent = (b.op().equals(">=") || b.op().equals(">") || b.op().equals("=")) && c >= 0;
            if (recent) {
                note(why, "cutoff: " + cutoff.column() + " " + b.op() + " " + v + " wants only rows on or after the boundary "
                        + boundary + " → archive tier skipped");
                return "hot";
            }
            boolean old = (b.op().equals("<") && c <= 0) || ((b.op().equals("<=") || b.op().equals("=")) && c < 0);
            if (old) {
                note(why, "cutoff: " + cutoff.column() + " " + b.op() + " " + v + " wants only rows before the boundary "
                        + boundary + ", but hot is still read: such rows stay hot until the archiver moves them");
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Comparable<Object> boundary(Cutoff cutoff) {
        return (Comparable<Object>) (Comparable<?>) (cutoff.isTime() ? cutoff.boundary(Instant.now())
                : (Object) cutoff.below());
    }

    @SuppressWarnings("unchecked")
    private static Comparable<Object> comparable(Cutoff cutoff, Object v) throws SQLException {
        try {
            if (!cutoff.isTime()) {
                return (Comparable<Object>) (Comparable<?>) Long.valueOf(v instanceof Number n ? n.longValue()
                        : Long.parseLong(v.toString().strip()));
            }
            Instant instant;
            if (v instanceof Timestamp ts) {
                instant = ts.toLocalDateTime().toInstant(ZoneOffset.UTC);
            } else if (v instanceof Date d) {
                instant = d.toLocalDate().atStartOfDay().toInstant(ZoneOffset.UTC);
            } else if (v instanceof LocalDateTime t) {
                instant = t.toInstant(ZoneOffset.UTC);
            } else if (v instanceof LocalDate d) {
                instant = d.atStartOfDay().toInstant(ZoneOffset.UTC);
            } else if (v instanceof OffsetDateTime t) {
                instant = t.toInstant();
            } else if (v instanceof Instant i) {
                instant = i;
            } else {
                instant = Cutoff.parseInstant(v.toString());
            }
            return (Comparable<Object>) (Comparable<?>) instant;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static int[] shardsOf(RouteDecision d) {
        int[] out = new int[d.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = d.shard(i);
        }
        return out;
    }
}
