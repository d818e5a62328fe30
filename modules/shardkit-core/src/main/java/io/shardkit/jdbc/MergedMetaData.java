package io.shardkit.jdbc;

import io.shardkit.SqlStates;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * Column metadata of a merged result: a copy of one shard's own metadata (so names and types are
 * what the database reports), taken when the shard query opened, since the shard cursors may be
 * closed long before the application asks, cut to the columns the statement selected.
 */
final class MergedMetaData implements ResultSetMetaData {
    private final int visible;
    private final String[] labels;
    private final String[] names;
    private final int[] types;
    private final String[] typeNames;
    private final String[] classNames;
    private final int[] precision;
    private final int[] scale;
    private final int[] nullable;
    private final int[] displaySize;
    private final boolean[] signed;
    private final boolean[] autoIncrement;
    private final boolean[] caseSensitive;
    private final String[] tables;
    private final String[] schemas;
    private final String[] catalogs;

    /** Columns with these labels and names, every other property empty (the other constructors fill them). */
    private MergedMetaData(String[] labels, String[] names) {
        this.visible = labels.length;
        this.labels = labels;
        this.names = names;
        types = new int[visible];
        typeNames = new String[visible];
        classNames = new String[visible];
        precision = new int[visible];
        scale = new int[visible];
        nullable = new int[visible];
        displaySize = new int[visible];
        signed = new boolean[visible];
        autoIncrement = new boolean[visible];
        caseSensitive = new boolean[visible];
        tables = new String[visible];
        schemas = new String[visible];
        catalogs = new String[visible];
    }

    /** Copies the first {@code visible} columns of a shard's metadata. */
    MergedMetaData(ResultSetMetaData shard, int visible) throws SQLException {
        this(new String[visible], new String[visible]);
        for (int i = 0; i < visible; i++) {
            int c = i + 1;
            labels[i] = shard.getColumnLabel(c);
            names[i] = shard.getColumnName(c);
            types[i] = shard.getColumnType(c);
            typeNames[i] = shard.getColumnTypeName(c);
            classNames[i] = safe(() -> shard.getColumnClassName(c));
            precision[i] = shard.getPrecision(c);
            scale[i] = shard.getScale(c);
            nullable[i] = shard.isNullable(c);
            displaySize[i] = shard.getColumnDisplaySize(c);
            signed[i] = shard.isSigned(c);
            autoIncrement[i] = shard.isAutoIncrement(c);
            caseSensitive[i] = shard.isCaseSensitive(c);
            tables[i] = safe(() -> shard.getTableName(c));
            schemas[i] = safe(() -> shard.getSchemaName(c));
            catalogs[i] = safe(() -> shard.getCatalogName(c));
        }
    }

    /** Metadata of rows shardkit makes itself: nullable VARCHAR columns with these labels. */
    MergedMetaData(String... columns) {
        this(columns.clone(), columns.clone());
        java.util.Arrays.fill(types, java.sql.Types.VARCHAR);
        java.util.Arrays.fill(typeNames, "VARCHAR");
        java.util.Arrays.fill(classNames, String.class.getName());
        java.util.Arrays.fill(nullable, columnNullable);
        java.util.Arrays.fill(displaySize, 200);
        java.util.Arrays.fill(caseSensitive, true);
        java.util.Arrays.fill(tables, "");
        java.util.Arrays.fill(schemas, "");
        java.util.Arrays.fill(catalogs, "");
    }

    private interface Read {
        String get() throws SQLException;
    }

    private static String safe(Read r) {
        try {
            return r.get();
        } catch (SQLException | RuntimeException e) {
            return "";
        }
    }

    private int i(int column) throws SQLException {
        if (column < 1 || column > visible) {
            throw new SQLException("column index " + column + " is out of range (1.." + visible + ")",
                    SqlStates.INVALID_DESCRIPTOR_INDEX);
        }
        return column - 1;
    }

    @Override
    public int getColumnCount() {
        return visible;
    }

    @Override
    public boolean isAutoIncrement(int column) throws SQLException {
        return autoIncrement[i(column)];
    }

    @Override
    public boolean isCaseSensitive(int column) throws SQLException {
        return caseSensitive[i(column)];
    }

    @Override
    public boolean isSearchable(int column) throws SQLException {
        i(column);
        return true;
    }

    @Override
    public boolean isCurrency(int column) throws SQLException {
        i(column);
        return false;
    }

    @Override
    public int isNullable(int column) throws SQLException {
        return nullable[i(column)];
    }

    @Override
    public boolean isSigned(int column) throws SQLException {
        return signed[i(column)];
    }

    @Override
    public int getColumnDisplaySize(int column) throws SQLException {
        return displaySize[i(column)];
    }

    @Override
    public String getColumnLabel(int column) throws SQLException {
        return labels[i(column)];
    }

    @Override
    public String getColumnName(int column) throws SQLException {
        return names[i(column)];
    }

    @Override
    public String getSchemaName(int column) throws SQLException {
        return schemas[i(column)];
    }

    @Override
    public int getPrecision(int column) throws SQLException {
        return precision[i(column)];
    }

    @Override
    public int getScale(int column) throws SQLException {
        return scale[i(column)];
    }

    @Override
    public String getTableName(int column) throws SQLException {
        return tables[i(column)];
    }

    @Override
    public String getCatalogName(int column) throws SQLException {
        return catalogs[i(column)];
    }

    @Override
    public int getColumnType(int column) throws SQLException {
        return types[i(column)];
    }

    @Override
    public String getColumnTypeName(int column) throws SQLException {
        return typeNames[i(column)];
    }

    @Override
    public boolean isReadOnly(int column) {
        return true;
    }

    @Override
    public boolean isWritable(int column) {
        return false;
    }

    @Override
    public boolean isDefinitelyWritable(int column) {
        return false;
    }

    @Override
    public String getColumnClassName(int column) throws SQLException {
        return classNames[i(column)];
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface.getName(), SqlStates.GENERAL_ERROR);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
