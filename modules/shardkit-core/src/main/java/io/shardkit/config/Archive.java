package io.shardkit.config;

import io.shardkit.strategy.Strategy;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The read-only archive tier of a table: archive shards in lookup order (newest first, say), the
 * row identity that decides which copy wins when a row is in both tiers (the hot one), how key
 * lookups search the tiers, an optional cutoff, and for time-partitioned archives the strategy and
 * column that place an archived row on one archive shard.
 *
 * @param shards archive shards in the order a key lookup tries them (after the hot shards)
 * @param id the row identity column (the table's primary key); the hot copy of an id shadows archive copies
 * @param lookupAll key lookups read every tier and merge (hot wins), instead of stopping at the first tier with a hit
 * @param cutoff which rows are archive rows; {@code null} when the tiers cannot be told apart by a column
 * @param placement chooses the archive shard of a moved row by {@code placementColumn}; {@code null}: the first archive shard
 */
public record Archive(List<String> shards, String id, boolean lookupAll, Cutoff cutoff, Strategy placement,
        String placementColumn) {

    public Archive {
        shards = List.copyOf(shards);
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("an archive needs at least one shard");
        }
        id = Objects.requireNonNull(id, "id").toLowerCase(Locale.ROOT);
        placementColumn = placementColumn == null ? null : placementColumn.toLowerCase(Locale.ROOT);
        if ((placement == null) != (placementColumn == null)) {
            throw new IllegalArgumentException("an archive placement strategy needs its column, and the other way round");
        }
    }

    public static Archive of(List<String> shards, String id) {
        return new Archive(shards, id, false, null, null, null);
    }

    public Archive withCutoff(Cutoff value) {
        return new Archive(shards, id, lookupAll, value, placement, placementColumn);
    }

    public Archive lookingUpAll(boolean all) {
        return new Archive(shards, id, all, cutoff, placement, placementColumn);
    }

    public Archive placedBy(String column, Strategy strategy) {
        return new Archive(shards, id, lookupAll, cutoff, strategy, column);
    }

    public String describe() {
        return "archive " + shards + " (lookup " + (lookupAll ? "all tiers" : "hot first, first hit wins")
                + (cutoff == null ? "" : ", cutoff " + cutoff.describe())
                + (placement == null ? "" : ", placed by " + placementColumn + ": " + placement.describe()) + ")";
    }
}
