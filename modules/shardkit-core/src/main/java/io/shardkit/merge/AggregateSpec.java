package io.shardkit.merge;

/**
 * One aggregate of a merged query and where its per-shard parts are in the shard row.
 *
 * @param column COUNT/SUM/MIN/MAX: the partial result; AVG: the partial SUM; DISTINCT: the value column
 * @param countColumn AVG (not DISTINCT): the partial COUNT; else 0
 * @param text the aggregate as written, for explain
 */
public record AggregateSpec(Kind kind, boolean distinct, int column, int countColumn, String text) {

    public enum Kind { COUNT, SUM, MIN, MAX, AVG }

    public String describe() {
        return text + " ← " + switch (kind) {
            case AVG -> distinct ? "distinct #" + column : "sum #" + column + " / count #" + countColumn;
            case COUNT -> distinct ? "count distinct #" + column : "sum of counts #" + column;
            case SUM -> distinct ? "sum distinct #" + column : "sum #" + column;
            case MIN -> "min #" + column;
            case MAX -> "max #" + column;
        };
    }
}
