package io.shardkit.sql;

/**
 * A shard key value in a statement: either the {@code ?} parameter at a 1-based index, or a
 * literal written in the SQL. An {@link #array()} parameter ({@code key = ANY(?)} on PostgreSQL)
 * stands for every element of the array bound to it.
 */
public record ValueRef(int parameter, Object literal, boolean array) {

    public ValueRef(int parameter, Object literal) {
        this(parameter, literal, false);
    }

    public static ValueRef parameter(int index) {
        return new ValueRef(index, null, false);
    }

    /** The {@code ?} of {@code key = ANY(?)}: its bound array's elements are the key values. */
    public static ValueRef arrayParameter(int index) {
        return new ValueRef(index, null, true);
    }

    public static ValueRef literal(Object value) {
        return new ValueRef(0, value, false);
    }

    public boolean isParameter() {
        return parameter > 0;
    }

    /** The value for one execution; {@code null} when the parameter is unbound or bound to NULL. */
    public Object resolve(Object[] parameters) {
        if (parameter == 0) {
            return literal;
        }
        return parameters != null && parameter <= parameters.length ? parameters[parameter - 1] : null;
    }

    @Override
    public String toString() {
        return parameter > 0 ? "?" + parameter + (array ? "[]" : "") : String.valueOf(literal);
    }
}
