package io.shardkit.sql;

import io.shardkit.RefusedException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One SQL text for one dialect with its split tables taken out: the text printed back from the parse
 * tree, cut at the places where physical names go. Rendering only joins the pieces with the quoted
 * names; the result is kept per argument (at most {@value #MAX_RENDERS}), so a prepared statement
 * run again on the same physical tables gets the same String and allocates only its lookup key.
 *
 * <p>A place is one of: a table read in a FROM/JOIN (one name, or a UNION ALL of several as a
 * derived table; the alias is in the text), a write target (exactly one name), a column qualifier
 * of an unaliased write target (the quoted physical name), or the name of an index created on a
 * split table ({@code <index>_<physical table>}, at most 63 characters). Thread-safe.
 */
public final class SplitTemplate {
    static final int READ = 0, WRITE = 1, QUALIFIER = 2, INDEX = 3;
    /** SQLite allows 500 terms in a compound SELECT; larger unions are nested in derived tables of this many. */
    static final int MAX_UNION_TERMS = 400;
    static final int MAX_RENDERS = 256;
    static final int MAX_INDEX_NAME = 63;

    private final String sql;
    private final Dialect dialect;
    private final List<String> tables;
    private final String refusal;
    private final boolean writes;
    /** parts[i] comes before place i; parts[places] ends the text. */
    private final String[] parts;
    private final int[] kind;
    private final int[] table;
    /** What goes before the name at each place: a schema as written and a dot, or "". */
    private final String[] prefix;
    /** The index name written, for {@link #INDEX} places. */
    private final String[] indexName;
    private final ConcurrentHashMap<String, String> renders = new ConcurrentHashMap<>();

    SplitTemplate(String sql, Dialect dialect, List<String> tables, String refusal, boolean writes, String[] parts,
            int[] kind, int[] table, String[] prefix, String[] indexName) {
        this.sql = sql;
        this.dialect = dialect;
        this.tables = tables;
        this.refusal = refusal;
        this.writes = writes;
        this.parts = parts;
        this.kind = kind;
        this.table = table;
        this.prefix = prefix;
        this.indexName = indexName;
    }

    public Dialect dialect() {
        return dialect;
    }

    static SplitTemplate unchanged(String sql, Dialect dialect) {
        return new SplitTemplate(sql, dialect, List.of(), null, false, new String[] {sql}, new int[0], new int[0],
                new String[0], new String[0]);
    }

    static SplitTemplate refused(String sql, Dialect dialect, List<String> tables, String why) {
        return new SplitTemplate(sql, dialect, tables, why, false, new String[] {sql}, new int[0], new int[0],
                new String[0], new String[0]);
    }

    /** The split tables the text names (lower-case logical names), each once, in order of first mention. */
    public List<String> tables() {
        return tables;
    }

    /** Why the text cannot be rewritten, or {@code null}. */
    public String refusal() {
        return refusal;
    }

    /** Whether some place is a DML/DDL target (such places take exactly one physical name). */
    public boolean writes() {
        return writes;
    }

    /** {@link #render(String, List)} with the physical names joined as the key. */
    public String render(List<List<String>> physical) throws RefusedException {
        if (refusal != null) {
            throw new RefusedException(refusal, sql);
        }
        if (kind.length == 0) {
            return parts[0];
        }
        return render(key(physical), physical);
    }

    /**
     * The text with every place of {@code tables().get(i)} naming {@code physical.get(i)}.
     * {@code key} must be the same string for the same {@code physical} (a caller may keep one per
     * data node); results are cached by it. Refuses (0A000) a refused template, several names for
     * a write target, and an index name longer than 63 characters.
     */
    public String render(String key, List<List<String>> physical) throws RefusedException {
        if (refusal != null) {
            throw new RefusedException(refusal, sql);
        }
        if (kind.length == 0) {
            return parts[0];
        }
        String done = renders.get(key);
        if (done != null) {
            return done;
        }
        if (physical.size() != tables.size()) {
            throw new IllegalArgumentException("the statement names " + tables.size() + " split tables " + tables
                    + ", but " + physical.size() + " lists of physical names were given");
        }
        StringBuilder out = new StringBuilder(parts[0].length() * 2 + 64);
        for (int i = 0; i < kind.length; i++) {
            out.append(parts[i]);
            place(out, i, physical.get(table[i]));
        }
        out.append(parts[kind.length]);
        String text = out.toString();
        if (renders.size() >= MAX_RENDERS) {
            renders.clear();
        }
        String raced = renders.putIfAbsent(key, text);
        return raced == null ? text : raced;
    }

    private void place(StringBuilder out, int i, List<String> names) throws RefusedException {
        String logical = tables.get(table[i]);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no physical table given for split table " + logical);
        }
        if (kind[i] != READ && names.size() != 1) {
            throw new RefusedException("a statement that writes split table " + logical + " (or names it outside a"
                    + " SELECT's FROM) runs on one physical table at a time, not on " + names.size(), sql);
        }
        switch (kind[i]) {
            case INDEX -> {
                String name = indexName[i] + "_" + names.get(0);
                if (name.length() > MAX_INDEX_NAME) {
                    throw new RefusedException("the index name " + name + " for physical table " + names.get(0)
                            + " is longer than " + MAX_INDEX_NAME + " characters; choose a shorter index name", sql);
                }
                out.append(prefix[i]);
                quote(out, name);
            }
            case QUALIFIER -> quote(out, names.get(0));
            default -> {
                if (names.size() == 1) {
                    out.append(prefix[i]);
                    quote(out, names.get(0));
                } else {
                    union(out, prefix[i], names);
                }
            }
        }
    }

    /** {@code (SELECT * FROM p1 UNION ALL ...)}, nested in groups of {@value #MAX_UNION_TERMS} beyond that. */
    private void union(StringBuilder out, String schema, List<String> names) {
        out.append('(');
        int n = names.size();
        if (n <= MAX_UNION_TERMS) {
            terms(out, schema, names, 0, n);
        } else {
            for (int from = 0, g = 0; from < n; from += MAX_UNION_TERMS, g++) {
                if (g > 0) {
                    out.append(" UNION ALL ");
                }
                out.append("SELECT * FROM (");
                terms(out, schema, names, from, Math.min(n, from + MAX_UNION_TERMS));
                out.append(") AS ");
                quote(out, "shardkit_part_" + g);
            }
        }
        out.append(')');
    }

    private void terms(StringBuilder out, String schema, List<String> names, int from, int to) {
        for (int j = from; j < to; j++) {
            if (j > from) {
                out.append(" UNION ALL ");
            }
            out.append("SELECT * FROM ").append(schema);
            quote(out, names.get(j));
        }
    }

    /**
     * A physical name as the statement names it: a plain lower-case identifier that no database here
     * reserves is written bare, so each database folds it as it folded the unquoted name the table was
     * created with (H2 and Oracle-style databases to upper case); any other name is quoted exactly.
     */
    private void quote(StringBuilder out, String name) {
        if (bare(name)) {
            out.append(name);
            return;
        }
        char q = dialect == Dialect.MYSQL ? '`' : '"';
        out.append(q);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == q) {
                out.append(q);
            }
            out.append(c);
        }
        out.append(q);
    }

    static boolean bare(String name) {
        if (name.isEmpty() || name.length() > 63 || !(name.charAt(0) >= 'a' && name.charAt(0) <= 'z'
                || name.charAt(0) == '_')) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return !RESERVED.contains(name);
    }

    /** Words some database here reserves (SQL standard, PostgreSQL, MySQL/MariaDB, SQLite): quoted when a physical name. */
    private static final Set<String> RESERVED = Set.of(("abort action add after all alter always analyse"
            + " analyze and array as asc asensitive attach authorization autoincrement before begin between bigint binary"
            + " blob both by call cascade case cast change char character check collate column commit concurrently"
            + " condition constraint continue convert create cross current current_date current_role current_time"
            + " current_timestamp current_user cursor database databases date day declare default deferrable deferred"
            + " delayed delete desc describe detach distinct distinctrow div do double drop dual each else elseif"
            + " enclosed end escape escaped except exclude exclusive exists exit explain false fetch fields filter"
            + " first float following for force foreign freeze from full function generated glob grant group groups"
            + " having high_priority hour ignore ilike immediate in index indexed infile initially inner inout insensitive"
            + " insert instead int integer intersect interval into is isnull join key keys kill last lateral leading"
            + " leave left like limit lines load localtime localtimestamp lock long loop low_priority match minute mod"
            + " month natural no not nothing notnull null nulls numeric of offset on only optimize option optionally or"
            + " order others out outer outfile over overlaps partition placing plan pragma preceding primary procedure"
            + " purge query raise range read real recursive references regexp reindex release rename repeat replace"
            + " require restrict return returning revoke right rlike rollback row rows savepoint schema schemas second"
            + " select sensitive separator session_user set show similar smallint some spatial sql ssl starting"
            + " straight_join symmetric table tablesample temp temporary terminated text then ties time timestamp"
            + " tinyint to trailing transaction trigger true unbounded union unique unlock unsigned until update usage"
            + " use user using vacuum values varchar variadic verbose view virtual when where while window with"
            + " without write xor year zerofill").split(" "));

    private static String key(List<List<String>> physical) {
        StringBuilder k = new StringBuilder(32);
        for (int i = 0; i < physical.size(); i++) {
            List<String> names = physical.get(i);
            if (i > 0) {
                k.append('\u0001');
            }
            for (int j = 0; j < names.size(); j++) {
                if (j > 0) {
                    k.append('\u0000');
                }
                k.append(names.get(j));
            }
        }
        return k.toString();
    }
}
