package io.shardkit.config;

import io.shardkit.strategy.BucketStrategy;
import io.shardkit.strategy.Strategy;
import io.shardkit.strategy.SplitRules;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a logical table lives: split over shards by a key and a strategy ({@link Kind#SHARDED}),
 * copied to every shard ({@link Kind#BROADCAST}), or whole on one named shard ({@link Kind#PINNED}).
 * A sharded table may also be split by name inside each shard ({@link #split()}, {@code null} when
 * not); a table split only by name has the one-shard strategy {@code Strategies.single}. A table with a
 * buckets strategy may name a column of bucketed ids ({@link #idOf()}, {@code null} when not): statements
 * that pin it but not the key route by the bucket in the id.
 */
public record TableRule(String table, Kind kind, String keyColumn, Strategy strategy, String shard, Archive archive,
        TableSplit split, IdOf idOf) {

    /**
     * {@code idOf: {column: match_id, generator: bucketed}}: the column holds ids {@code sequence * B + bucket}
     * ({@code io.shardkit.ids.Ids}), so {@code id mod B} is the bucket of the row's key.
     */
    public record IdOf(String column, String generator) {
        public IdOf {
            column = Objects.requireNonNull(column, "column").toLowerCase(Locale.ROOT);
            if (!"bucketed".equals(generator)) {
                throw new IllegalArgumentException("idOf generator must be bucketed, got " + generator);
            }
        }
    }

    public enum Kind { SHARDED, BROADCAST, PINNED }

    public TableRule(String table, Kind kind, String keyColumn, Strategy strategy, String shard) {
        this(table, kind, keyColumn, strategy, shard, null, null);
    }

    public TableRule(String table, Kind kind, String keyColumn, Strategy strategy, String shard, Archive archive) {
        this(table, kind, keyColumn, strategy, shard, archive, null, null);
    }

    public TableRule(String table, Kind kind, String keyColumn, Strategy strategy, String shard, Archive archive,
            TableSplit split) {
        this(table, kind, keyColumn, strategy, shard, archive, split, null);
    }

    public TableRule {
        if (archive != null && kind != Kind.SHARDED) {
            throw new IllegalArgumentException("only a sharded table can have an archive tier: " + table);
        }
        if (split != null && kind != Kind.SHARDED) {
            throw new IllegalArgumentException("only a sharded table can be split by name (use Strategies.single"
                    + " for one database): " + table);
        }
        if (split != null && archive != null && (!SplitRules.isCalendar(split.rule()) || archive.placement() != null)) {
            throw new IllegalArgumentException("a split table's archive moves whole period tables to its first archive"
                    + " shard: split " + table + " by day, week, month or year, without an archive placement");
        }
        if (idOf != null && (!(strategy instanceof BucketStrategy) || archive != null || split != null)) {
            throw new IllegalArgumentException("idOf needs a table with a buckets strategy, without archive or split: "
                    + table);
        }
        table = table.toLowerCase(Locale.ROOT);
        keyColumn = keyColumn == null ? null : keyColumn.toLowerCase(Locale.ROOT);
        Objects.requireNonNull(kind, "kind");
    }

    public static TableRule sharded(String table, String keyColumn, Strategy strategy) {
        return new TableRule(table, Kind.SHARDED, Objects.requireNonNull(keyColumn, "keyColumn"),
                Objects.requireNonNull(strategy, "strategy"), null);
    }

    public static TableRule broadcast(String table) {
        return new TableRule(table, Kind.BROADCAST, null, null, null);
    }

    public static TableRule pinned(String table, String shard) {
        return new TableRule(table, Kind.PINNED, null, null, Objects.requireNonNull(shard, "shard"));
    }

    /** This table with a read-only archive tier behind its (hot) shards. */
    public TableRule withArchive(Archive value) {
        return new TableRule(table, kind, keyColumn, strategy, shard, value, split, idOf);
    }

    /** This table split by name inside each shard ({@code null}: not split). */
    public TableRule withSplit(TableSplit value) {
        return new TableRule(table, kind, keyColumn, strategy, shard, archive, value, idOf);
    }

    /** This table with a column of bucketed ids that routes like the key ({@code null}: none). */
    public TableRule withIdOf(IdOf value) {
        return new TableRule(table, kind, keyColumn, strategy, shard, archive, split, value);
    }

    public boolean isSplit() {
        return split != null;
    }

    /** A table whose rows move one by one to an archive tier (a split table's archive moves whole periods instead). */
    public boolean isTiered() {
        return archive != null && split == null;
    }

    /** A split table whose whole period tables move to its archive shards ({@code split} by period plus {@code archive}). */
    public boolean isPeriodTiered() {
        return archive != null && split != null;
    }

    public boolean isSharded() {
        return kind == Kind.SHARDED;
    }

    /** One line for explain: {@code players sharded by player_id: mod 4 over [s0, s1, s2, s3]}. */
    public String describe() {
        return switch (kind) {
            case SHARDED -> table + " sharded by " + keyColumn + ": " + strategy.describe()
                    + (archive == null ? "" : ", " + archive.describe())
                    + (split == null ? "" : ", split into " + split.describe())
                    + (idOf == null ? "" : ", ids in " + idOf.column());
            case BROADCAST -> table + " broadcast to every shard";
            case PINNED -> table + " pinned to " + shard;
        };
    }
}
