package io.shardkit.sql;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import net.sf.jsqlparser.statement.Statement;

/**
 * Where the split tables go in a SQL text, worked out once per (text, dialect): table-name sharding
 * stores one logical table as many physical tables, and every statement that reaches one of them
 * must name them instead of the logical table. The text is parsed, every reference to a split table
 * in the tree gets a marker (kept: its schema, its alias; added: an alias equal to the name as
 * written for an unaliased read, so {@code matches.score} still resolves), and the tree printed back
 * once is cut at the markers ({@link SplitTemplate}). Per execution only the cut text is joined with
 * the quoted physical names.
 *
 * <p>An allowlist: SELECT, INSERT (with SELECT, ON CONFLICT, ON DUPLICATE KEY, RETURNING), UPDATE
 * and DELETE (with their joins), CREATE TABLE, ALTER TABLE, DROP TABLE/INDEX, TRUNCATE and CREATE
 * INDEX. Every other statement naming a split table is refused, and so is a statement that still
 * names a split table, after the rewrite, anywhere but as a column, a column qualifier or an alias
 * the rewrite accounts for (a CTE named like it, a derived table's alias, a foreign key, ...).
 * Texts naming no split table (a case-insensitive substring check) are returned unchanged without
 * a parse.
 *
 * <p>Bounded like the analysis cache (two generations per dialect); thread-safe; reads take no lock.
 */
public final class SplitTemplates {
    static final String MARKER = "__shardkit_split_";

    private final Set<String> splitTables;
    private final String[] names;
    private final int generationSize;
    private final AtomicLong parses = new AtomicLong();
    private final Generations[] byDialect = new Generations[Dialect.values().length];

    private static final class Generations {
        volatile ConcurrentHashMap<String, SplitTemplate> young = new ConcurrentHashMap<>();
        volatile ConcurrentHashMap<String, SplitTemplate> old = new ConcurrentHashMap<>();
    }

    public SplitTemplates(Set<String> splitTables, int maxEntries) {
        this.splitTables = Set.copyOf(splitTables);
        this.names = this.splitTables.toArray(new String[0]);
        this.generationSize = Math.max(1, maxEntries / 2);
        for (int i = 0; i < byDialect.length; i++) {
            byDialect[i] = new Generations();
        }
    }

    /** The template of a SQL text for a shard of that dialect; parses once per (sql, dialect); never throws. */
    public SplitTemplate get(String sql, Dialect dialect) {
        Generations g = byDialect[dialect.ordinal()];
        SplitTemplate t = g.young.get(sql);
        if (t != null) {
            return t;
        }
        t = g.old.get(sql);
        if (t == null) {
            t = build(sql, dialect);
        }
        ConcurrentHashMap<String, SplitTemplate> y = g.young;
        if (y.size() >= generationSize) {
            synchronized (g) {
                if (g.young == y) {
                    g.old = y;
                    g.young = new ConcurrentHashMap<>();
                }
            }
        }
        g.young.put(sql, t);
        return t;
    }

    /** How many texts were parsed so far (for tests: a repeated text parses none). */
    public long parses() {
        return parses.get();
    }

    private SplitTemplate build(String sql, Dialect dialect) {
        String lower = sql.toLowerCase(Locale.ROOT);
        boolean named = false;
        for (String n : names) {
            named |= lower.contains(n);
        }
        boolean dropIndex = lower.stripLeading().startsWith("drop index");
        if (!named && !dropIndex) {
            return SplitTemplate.unchanged(sql, dialect);
        }
        parses.incrementAndGet();
        if (lower.contains(MARKER)) {
            return SplitTemplate.refused(sql, dialect, List.of(), "the statement contains " + MARKER
                    + ", which shardkit reserves");
        }
        Statement st;
        try {
            st = SqlParse.statement(sql);
        } catch (Exception | Error e) {
            return SplitTemplate.refused(sql, dialect, List.of(), "shardkit cannot parse the statement to name the"
                    + " physical tables of the split tables it may name");
        }
        SplitRewrite r = new SplitRewrite(sql, dialect, splitTables);
        try {
            return r.rewrite(st);
        } catch (SplitRewrite.Refusal e) {
            return SplitTemplate.refused(sql, dialect, r.tables(), e.getMessage());
        } catch (RuntimeException e) {
            return SplitTemplate.refused(sql, dialect, r.tables(), "shardkit cannot rewrite the statement for split"
                    + " tables (" + e.getClass().getSimpleName() + ")");
        }
    }
}
