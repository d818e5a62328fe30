package io.shardkit.merge;

/**
 * How one column of a merged group row is made: taken from the group's first shard row (a group
 * key, or a value the shard computed from the keys), a merged aggregate, or an expression over
 * merged aggregates.
 */
public record Output(int column, int aggregate, Expr expr) {

    public static Output first(int column) {
        return new Output(column, -1, null);
    }

    public static Output aggregate(int column, int aggregate) {
        return new Output(column, aggregate, null);
    }

    public static Output expression(int column, Expr expr) {
        return new Output(column, -1, expr);
    }

    public boolean isFirst() {
        return aggregate < 0 && expr == null;
    }

    public String describe() {
        return "#" + column + " = " + (expr != null ? expr.describe() : aggregate >= 0 ? "aggregate " + aggregate : "first");
    }
}
