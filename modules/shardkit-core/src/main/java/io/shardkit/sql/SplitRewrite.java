package io.shardkit.sql;

import static io.shardkit.sql.SplitReferences.unquote;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.alter.AlterOperation;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.ColumnDefinition;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.table.Index;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.statement.update.Update;

/** One rewrite of one parsed statement into a {@link SplitTemplate}; see {@link SplitTemplates}. Not thread-safe. */
final class SplitRewrite {
    /** Why the statement cannot be rewritten. */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message, null, false, false);
        }
    }

    private final String sql;
    private final Dialect dialect;
    private final Set<String> split;
    private final List<String> tables = new ArrayList<>();
    private final IdentityHashMap<Table, Boolean> targets = new IdentityHashMap<>();
    /** MySQL's {@code DELETE t1, t2 FROM ...} list: names of references in FROM, not references themselves. */
    private final IdentityHashMap<Table, Boolean> deleteList = new IdentityHashMap<>();
    // one entry per marker number
    private final List<int[]> slots = new ArrayList<>(); // {kind, table}
    private final List<String> prefixes = new ArrayList<>();
    private final List<String> indexNames = new ArrayList<>();
    private boolean writes;

    SplitRewrite(String sql, Dialect dialect, Set<String> split) {
        this.sql = sql;
        this.dialect = dialect;
        this.split = split;
    }

    List<String> tables() {
        return List.copyOf(tables);
    }

    SplitTemplate rewrite(Statement st) {
        if (st instanceof Drop d && "INDEX".equalsIgnoreCase(d.getType())) {
            return dropIndex(d);
        }
        SplitReferences f = new SplitReferences();
        collectTargets(st, f);
        st.accept(f, null);
        for (Table t : targets.keySet()) {
            f.visit(t, null);
        }
        boolean ddl = !(st instanceof Select || st instanceof Insert || st instanceof Update || st instanceof Delete);
        boolean ctas = st instanceof CreateTable ct && ct.getSelect() != null;
        for (Table t : f.tables) {
            if (ddl && !ctas && !targets.containsKey(t) && t.getName() != null && split.contains(unquote(t.getName()))) {
                throw new Refusal(st.getClass().getSimpleName() + " names split table " + unquote(t.getName())
                        + " besides its target (a foreign key cannot reference a split table: its rows are spread"
                        + " over many physical tables)");
            }
        }
        for (String cte : f.ctes) {
            if (split.contains(cte)) {
                throw new Refusal("the CTE " + cte + " is named like the split table " + cte + " and shadows it;"
                        + " rename the CTE");
            }
        }
        // which references are split, and the aliases in use
        int[] unaliasedWrites = new int[split.size()];
        int[] writeSlot = new int[split.size()];
        int[] unaliasedReads = new int[split.size()];
        List<Table> refs = new ArrayList<>();
        for (Table t : f.tables) {
            String name = t.getName() == null ? null : unquote(t.getName());
            boolean isSplit = name != null && split.contains(name);
            String alias = t.getAlias() == null ? null : unquote(t.getAlias().getName());
            if (alias != null && split.contains(alias) && !(isSplit && alias.equals(name))) {
                throw new Refusal("the alias " + alias + " is also the name of a split table; choose another alias");
            }
            if (isSplit) {
                if (t.getDatabase() != null && t.getDatabase().getDatabaseName() != null) {
                    throw new Refusal("the three-part name " + t.getFullyQualifiedName() + " of split table " + name);
                }
                refs.add(t);
            }
        }
        for (Table t : refs) {
            String written = t.getName();
            int ti = tableIndex(unquote(written));
            boolean write = targets.containsKey(t);
            writes |= write;
            String prefix = t.getSchemaName() == null ? "" : t.getSchemaName() + ".";
            int slot = slot(write ? SplitTemplate.WRITE : SplitTemplate.READ, ti, prefix, null);
            if (t.getAlias() == null && !deleteList.containsKey(t)) {
                if (write) {
                    unaliasedWrites[ti]++;
                    writeSlot[ti] = slot;
                } else {
                    unaliasedReads[ti]++;
                    t.setAlias(new Alias(written, false));
                }
            }
            t.setSchemaName(null);
            t.setName(MARKER_PREFIX + slot + "__");
        }
        for (Column c : f.columns) {
            Table q = c.getTable();
            Table moved = qualifier(q, unaliasedWrites, writeSlot, unaliasedReads);
            if (moved != q) {
                c.setTable(moved);
            }
        }
        for (AllTableColumns a : f.allTableColumns) {
            Table q = a.getTable();
            Table moved = qualifier(q, unaliasedWrites, writeSlot, unaliasedReads);
            if (moved != q) {
                a.setTable(moved);
            }
        }
        checkDdl(st);
        if (st instanceof CreateIndex ci && ci.getTable() != null && ci.getTable().getName().startsWith(MARKER_PREFIX)) {
            Index idx = ci.getIndex();
            if (idx == null || idx.getName() == null) {
                throw new Refusal("CREATE INDEX on split table without an index name");
            }
            int on = Integer.parseInt(ci.getTable().getName().substring(MARKER_PREFIX.length()).replace("__", ""));
            String name = unquote(idx.getName());
            if (name.indexOf('.') >= 0) {
                throw new Refusal("a schema-qualified index name on split table " + tables.get(slots.get(on)[1]));
            }
            idx.setName(MARKER_PREFIX + slot(SplitTemplate.INDEX, slots.get(on)[1], "", name) + "__");
        }
        String text = st.toString();
        checkMentions(text, f);
        return slots.isEmpty() ? SplitTemplate.unchanged(sql, dialect) : cut(text);
    }

    private static final String MARKER_PREFIX = SplitTemplates.MARKER;

    /** MySQL's {@code DROP INDEX idx ON t}: both names change; without ON the index's table is unknown. */
    private SplitTemplate dropIndex(Drop d) {
        List<String> p = d.getParameters();
        if (p == null || p.size() != 2 || !p.get(0).equalsIgnoreCase("ON")) {
            throw new Refusal("DROP INDEX without ON <table> cannot be tied to a split table's physical indexes (they"
                    + " are named <index>_<physical table>); drop those by name");
        }
        String table = unquote(p.get(1));
        if (!split.contains(table)) {
            return SplitTemplate.unchanged(sql, dialect);
        }
        String name = unquote(d.getName().getFullyQualifiedName());
        if (name.indexOf('.') >= 0 || p.get(1).indexOf('.') >= 0) {
            throw new Refusal("a schema-qualified DROP INDEX ... ON on split table " + table);
        }
        int ti = tableIndex(table);
        writes = true;
        int index = slot(SplitTemplate.INDEX, ti, "", name);
        int on = slot(SplitTemplate.WRITE, ti, "", null);
        return cut("DROP INDEX " + (d.isIfExists() ? "IF EXISTS " : "") + MARKER_PREFIX + index + "__ ON "
                + MARKER_PREFIX + on + "__");
    }

    /** The qualifier a column keeps, or its replacement; refuses what cannot be resolved to one reference. */
    private Table qualifier(Table q, int[] unaliasedWrites, int[] writeSlot, int[] unaliasedReads) {
        if (q == null || q.getName() == null) {
            return q;
        }
        String name = unquote(q.getName());
        if (!split.contains(name)) {
            return q;
        }
        int ti = tables.indexOf(name);
        int w = ti < 0 ? 0 : unaliasedWrites[ti];
        int r = ti < 0 ? 0 : unaliasedReads[ti];
        if (w == 0 && r == 0) {
            throw new Refusal("the column qualifier " + q + " names split table " + name + ", which the statement"
                    + " names only with an alias (or not at all); qualify with the alias");
        }
        if (w > 1 || (w == 1 && r > 0)) {
            throw new Refusal("the column qualifier " + q + " could mean more than one reference to split table " + name
                    + "; give the references aliases and qualify with them");
        }
        if (w == 1) {
            return new Table(MARKER_PREFIX + slot(SplitTemplate.QUALIFIER, ti, "", null) + "__");
        }
        return q.getSchemaName() == null ? q : new Table(q.getName());
    }

    private int tableIndex(String name) {
        int ti = tables.indexOf(name);
        if (ti < 0) {
            tables.add(name);
            ti = tables.size() - 1;
        }
        return ti;
    }

    private int slot(int kind, int table, String prefix, String indexName) {
        slots.add(new int[] {kind, table});
        prefixes.add(prefix);
        indexNames.add(indexName);
        return slots.size() - 1;
    }

    /** The write targets of DML and DDL, and the statement kinds accepted at all. */
    private void collectTargets(Statement st, SplitReferences f) {
        if (st instanceof Select) {
            return;
        }
        if (st instanceof Insert i) {
            target(i.getTable());
        } else if (st instanceof Update u) {
            target(u.getTable());
            joins(u.getStartJoins());
            fromTarget(u.getFromItem());
            joins(u.getJoins());
        } else if (st instanceof Delete d) {
            target(d.getTable());
            if (d.getTables() != null) {
                for (Table t : d.getTables()) {
                    target(t);
                    deleteList.put(t, Boolean.TRUE);
                }
            }
            if (d.getUsingList() != null) {
                d.getUsingList().forEach(this::target);
            }
            joins(d.getJoins());
        } else if (st instanceof CreateTable ct) {
            target(ct.getTable());
        } else if (st instanceof Alter a) {
            target(a.getTable());
        } else if (st instanceof Truncate tr) {
            target(tr.getTable());
            if (tr.getTables() != null) {
                tr.getTables().forEach(this::target);
            }
        } else if (st instanceof CreateIndex ci) {
            target(ci.getTable());
        } else if (st instanceof Drop d) {
            String type = d.getType() == null ? "" : d.getType().toUpperCase(Locale.ROOT);
            if (!type.equals("TABLE")) {
                throw new Refusal("DROP " + d.getType() + " naming a split table");
            }
            target(d.getName());
            if (d.getNames() != null) {
                d.getNames().forEach(this::target);
            }
        } else {
            throw new Refusal(st.getClass().getSimpleName() + " statements naming a split table cannot be rewritten for"
                    + " its physical tables");
        }
    }

    private void target(Table t) {
        if (t != null) {
            targets.put(t, Boolean.TRUE);
        }
    }

    private void fromTarget(FromItem item) {
        if (item instanceof Table t) {
            target(t);
        }
    }

    private void joins(List<Join> joins) {
        if (joins != null) {
            for (Join j : joins) {
                fromTarget(j.getRightItem());
            }
        }
    }

    /** Named constraints and renames of a split table's DDL: they would collide or break the naming rule. */
    private void checkDdl(Statement st) {
        if (st instanceof CreateTable ct && isMarked(ct.getTable())) {
            if (ct.getIndexes() != null) {
                for (Index i : ct.getIndexes()) {
                    if (i.getName() != null) {
                        throw namedConstraints();
                    }
                }
            }
            if (ct.getColumnDefinitions() != null) {
                for (ColumnDefinition cd : ct.getColumnDefinitions()) {
                    if (cd.getColumnSpecs() != null) {
                        for (String spec : cd.getColumnSpecs()) {
                            if (spec.equalsIgnoreCase("CONSTRAINT")) {
                                throw namedConstraints();
                            }
                        }
                    }
                }
            }
        }
        if (st instanceof Alter a && isMarked(a.getTable()) && a.getAlterExpressions() != null) {
            for (AlterExpression e : a.getAlterExpressions()) {
                AlterOperation op = e.getOperation();
                if (op == AlterOperation.RENAME_TABLE || e.getNewTableName() != null) {
                    throw new Refusal("renaming a split table's physical tables would break its naming rule");
                }
                if (e.getConstraintName() != null || e.getUkName() != null
                        || (e.getIndex() != null && e.getIndex().getName() != null)) {
                    throw namedConstraints();
                }
                if (op != AlterOperation.ADD && op != AlterOperation.DROP && op != AlterOperation.ALTER
                        && op != AlterOperation.MODIFY && op != AlterOperation.CHANGE
                        && op != AlterOperation.RENAME) {
                    throw new Refusal("ALTER TABLE ... " + op + " on a split table");
                }
            }
        }
    }

    private static boolean isMarked(Table t) {
        return t != null && t.getName() != null && t.getName().startsWith(MARKER_PREFIX);
    }

    private static Refusal namedConstraints() {
        return new Refusal("named constraints would collide across the physical tables; leave them unnamed");
    }

    /**
     * Every mention of a split table's name left in the printed text must be one the tree accounts
     * for (a column, a kept qualifier, an alias): anything else (a derived table's alias, a foreign
     * key, a LIKE, a function) was not rewritten, and refuses.
     */
    private void checkMentions(String text, SplitReferences f) {
        for (String n : split) {
            int expected = 0;
            for (Table t : f.tables) {
                expected += t.getAlias() != null && n.equals(unquote(t.getAlias().getName())) ? 1 : 0;
            }
            for (Column c : f.columns) {
                expected += n.equals(unquote(c.getColumnName())) ? 1 : 0;
                Table q = c.getTable();
                if (q != null) {
                    expected += q.getName() != null && n.equals(unquote(q.getName())) ? 1 : 0;
                    expected += q.getSchemaName() != null && n.equals(unquote(q.getSchemaName())) ? 1 : 0;
                }
            }
            for (AllTableColumns a : f.allTableColumns) {
                expected += a.getTable() != null && n.equals(unquote(a.getTable().getName())) ? 1 : 0;
            }
            for (String a : f.outputAliases) {
                expected += n.equals(a) ? 1 : 0;
            }
            int found = SplitMentions.count(text, n, dialect);
            if (found != expected) {
                throw new Refusal("the statement names " + n + " where shardkit does not rewrite it for the physical"
                        + " tables (a derived table or CTE alias, a foreign key, LIKE, a function, ...)");
            }
        }
    }

    /** The printed text cut at its markers. */
    private SplitTemplate cut(String text) {
        List<String> parts = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        int from = 0;
        for (int at = text.indexOf(MARKER_PREFIX); at >= 0; at = text.indexOf(MARKER_PREFIX, from)) {
            int start = at + MARKER_PREFIX.length();
            int end = text.indexOf("__", start);
            order.add(Integer.parseInt(text.substring(start, end)));
            parts.add(text.substring(from, at));
            from = end + 2;
        }
        parts.add(text.substring(from));
        int n = order.size();
        int[] kind = new int[n];
        int[] table = new int[n];
        String[] prefix = new String[n];
        String[] index = new String[n];
        for (int i = 0; i < n; i++) {
            int s = order.get(i);
            kind[i] = slots.get(s)[0];
            table[i] = slots.get(s)[1];
            prefix[i] = prefixes.get(s);
            index[i] = indexNames.get(s);
        }
        return new SplitTemplate(sql, dialect, List.copyOf(tables), null, writes, parts.toArray(new String[0]), kind,
                table, prefix, index);
    }
}
