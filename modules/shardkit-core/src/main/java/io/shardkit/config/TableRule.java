package io.shardkit.config;

import io.shardkit.strategy.Strategy;
import io.shardkit.strategy.SplitRules;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a logical table lives: split over shards by a key and a strategy ({@link Kind#SHARDED}),
 * copied to every shard ({@link Kind#BROADCAST}), or whole on one named shard ({@link Kind#PINNED}).
 * A sharded table may also be split by name inside each shard ({@link #split()}, {@code null} when
 * not); a table split only by name has the one-shard strategy {@code Strategies.single}.
 */
public record TableRule(String table, Kind kind, String keyColumn, Strategy strategy, String shard, Archive archive,
        TableSplit split) {

    public enum Kind { SHARDED, BROADCAST, PINNED }

    public TableRule(String table, Kind kind, String keyColumn, Strategy strategy, String shard) {
        this(table, kind, keyColumn, strategy, shard, null, null);
    }

    public TableRule(String table, Kind kind, String keyColumn, Strategy strategy, String shard, Archive archive) {
        this(table, kind, keyColumn, strategy, shard, archive, null);
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
        return new TableRule(table, kind, keyColumn, strategy, shard, value, split);
    }

    /** This table split by name inside each shard ({@code null}: not split). */
    public TableRule withSplit(TableSplit value) {
        return new TableRule(table, kind, keyColumn, strategy, shard, archive, value);
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
                    + (split == null ? "" : ", split into " + split.describe());
            case BROADCAST -> table + " broadcast to every shard";
            case PINNED -> table + " pinned to " + shard;
        };
    }
}
