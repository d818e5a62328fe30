package io.shardkit.merge;

import io.shardkit.ShardException;

/** A LIMIT or OFFSET value: a literal, or a parameter bound at execution. */
public record Bound(long literal, int parameter) {

    public static Bound of(long value) {
        return new Bound(value, 0);
    }

    public static Bound parameter(int index) {
        return new Bound(0, index);
    }

    /** The value for one execution; parameters must be non-negative integers. */
    public long resolve(Object[] params) throws ShardException {
        if (parameter == 0) {
            return literal;
        }
        Object v = params == null || parameter > params.length ? null : params[parameter - 1];
        if (v instanceof Number n && n.longValue() >= 0 && Values.decimal(n).stripTrailingZeros().scale() <= 0) {
            return n.longValue();
        }
        if (v instanceof String s && s.strip().matches("\\d+")) {
            return Long.parseLong(s.strip());
        }
        throw new ShardException("LIMIT/OFFSET parameter " + parameter + " must be a non-negative integer, got " + v,
                "22023");
    }

    @Override
    public String toString() {
        return parameter == 0 ? Long.toString(literal) : "?" + parameter;
    }
}
