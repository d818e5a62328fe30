package io.shardkit.tenant;

import io.shardkit.config.Tenancy;
import io.shardkit.sql.SqlParse;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Commit;
import net.sf.jsqlparser.statement.ExplainStatement;
import net.sf.jsqlparser.statement.RollbackStatement;
import net.sf.jsqlparser.statement.SavepointStatement;
import net.sf.jsqlparser.statement.SetStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UseStatement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.comment.Comment;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.view.CreateView;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.upsert.Upsert;

/**
 * What a tenant's statement may name, worked out once per SQL text and shared by every tenant.
 *
 * <p>Rewrite mode: the text is parsed and every table reference that means "the tenant's schema"
 * (no schema, or a logical schema) gets the schema {@value #MARKER}; the statement printed back is
 * the template. Per execution a tenant only replaces the marker with its quoted schema
 * ({@link Template#apply}), a string replace: switching tenants never parses again. Search_path
 * and role modes: the text goes unchanged; the same walk only checks it.
 *
 * <p>In every mode a schema-qualified table reference must be a shared table, or in a tenant's
 * schema (recorded, so the execution refuses any tenant's but its own, 42501); any other schema is
 * refused (0A000, naming it), and so are catalogs ({@code pg_catalog}, {@code information_schema},
 * any {@code pg_*} schema, {@code mysql}, {@code performance_schema}, {@code sys}, and unqualified
 * {@code pg_*} names, which PostgreSQL looks up in {@code pg_catalog} first): they list every
 * tenant's schemas and tables. A sequence named in {@code nextval}/{@code currval}/{@code setval}
 * is checked like a table (a non-literal argument refuses), and so is the type of a cast
 * ({@code pg_catalog} types aside); calls inside DDL (defaults, checks,
 * index expressions, which the analysis does not walk) must be functions the analysis knows.
 * Left as written: CTE names, aliases, {@code dual}, shared tables.
 * Statements whose objects cannot all be found (GRANT, CREATE SEQUENCE, CREATE FUNCTION, ...),
 * {@code USE}, {@code SET} of the schema or search path, and temporary tables (they outlive the
 * tenant's use of a pooled connection and come first in PostgreSQL's search path) are refused: run
 * such DDL through {@code ds.tenants().migrate(...)}, where the schema is set on the connection.
 *
 * <p>Bounded like the analysis cache (two generations); thread-safe; reads take no lock.
 */
public final class SchemaTemplates {
    /** The schema templates carry where the tenant's schema goes. */
    public static final String MARKER = "__shardkit_tenant__";

    private static final Set<String> DROPPABLE = Set.of("TABLE", "VIEW", "INDEX", "SEQUENCE", "MATERIALIZED VIEW");
    /** Schemas that are catalogs (besides any {@code pg_*}): they list every tenant's schemas and tables. */
    private static final Set<String> CATALOGS = Set.of("information_schema", "mysql", "performance_schema", "sys");

    private final Tenancy tenancy;
    /** Rewrite mode puts tables in the tenant's schema; the other modes only check. */
    private final boolean rewrite;
    private final Set<String> logical;
    private final Set<String> sharedQualified = new HashSet<>();
    private final Set<String> sharedPlain = new HashSet<>();
    private final int generationSize;
    private final AtomicLong parses = new AtomicLong();
    private volatile ConcurrentHashMap<String, Template> young = new ConcurrentHashMap<>();
    private volatile ConcurrentHashMap<String, Template> old = new ConcurrentHashMap<>();

    public SchemaTemplates(Tenancy tenancy, int maxEntries) {
        this.tenancy = tenancy;
        this.rewrite = tenancy.mode() == Tenancy.Mode.REWRITE;
        this.logical = Set.copyOf(tenancy.logicalSchemas());
        for (String s : tenancy.shared()) {
            (s.indexOf('.') > 0 ? sharedQualified : sharedPlain).add(s);
        }
        this.generationSize = Math.max(1, maxEntries / 2);
    }

    /**
     * What a statement becomes for one tenant: a fixed SQL text with the marker where the tenant's
     * schema goes, or a refusal. Parses the text only the first time it is seen.
     */
    public Template get(String sql) {
        Template t = young.get(sql);
        if (t != null) {
            return t;
        }
        t = old.get(sql);
        if (t == null) {
            t = build(sql);
        }
        ConcurrentHashMap<String, Template> y = young;
        if (y.size() >= generationSize) {
            synchronized (this) {
                if (young == y) {
                    old = y;
                    young = new ConcurrentHashMap<>();
                }
            }
        }
        young.put(sql, t);
        return t;
    }

    /** How many SQL texts were parsed into templates so far (for tests: a tenant switch parses none). */
    public long parses() {
        return parses.get();
    }

    private Template build(String sql) {
        parses.incrementAndGet();
        if (sql.toLowerCase(Locale.ROOT).contains(MARKER)) {
            return Template.refused(sql, "the statement contains " + MARKER + ", which shardkit reserves");
        }
        Statement st;
        try {
            st = SqlParse.statement(sql);
        } catch (Exception | Error e) {
            return Template.refused(sql, "shardkit cannot parse the statement to put its tables in the tenant's schema;"
                    + " run it through ds.tenants().migrate(...), where the schema is set on the connection");
        }
        String kind = refusedKind(st);
        if (kind != null) {
            return Template.refused(sql, kind);
        }
        if (st instanceof SetStatement || st instanceof Commit || st instanceof RollbackStatement
                || st instanceof SavepointStatement) {
            return new Template(sql, false, new String[0], null);
        }
        TableReferences f = new TableReferences();
        try {
            st.accept(f, null);
            if (st instanceof Truncate tr && tr.getTables() != null) {
                // the finder walks only the last table of TRUNCATE a, b
                for (Table t : tr.getTables()) {
                    f.visit(t, null);
                }
            }
        } catch (UnsupportedOperationException e) {
            return Template.refused(sql, st.getClass().getSimpleName() + " statements cannot be confined to the"
                    + " tenant's schema by rewriting; run them through ds.tenants().migrate(...)");
        }
        if (st instanceof CreateTable ct && ct.getCreateOptionsStrings() != null) {
            for (String o : ct.getCreateOptionsStrings()) {
                String opt = o.toUpperCase(Locale.ROOT);
                if (opt.equals("TEMPORARY") || opt.equals("TEMP")) {
                    return Template.refused(sql, "a temporary table outlives the tenant's use of the pooled connection"
                            + " (and PostgreSQL looks in it before the tenant's schema); create a table in the tenant's"
                            + " schema instead");
                }
            }
        }
        if (st instanceof CreateTable || st instanceof Alter || st instanceof CreateIndex) {
            String call = DdlCalls.unknownCall(sql, f.tables);
            if (call != null) {
                return Template.refused(sql, (call.equals("\\") ? "a string literal with a backslash" : "the call " + call
                        + "(...)") + " in DDL through a tenant's connection (a column default, check or index expression"
                        + " may read or change what the tenant must not reach); run such DDL through"
                        + " ds.tenants().migrate(...)");
            }
        }
        boolean marked = false;
        boolean changed = false;
        Set<String> tenantSchemas = new LinkedHashSet<>();
        try {
            for (Table t : f.tables) {
                int r = qualify(t, f.ctes, tenantSchemas);
                marked |= r == MARKED;
                changed |= r != KEPT;
            }
            for (Table t : f.columnTables) {
                String schema = unquote(t.getSchemaName());
                if ((t.getDatabase() == null || t.getDatabase().getDatabaseName() == null) && logical.contains(schema)) {
                    boolean shared = sharedPlain.contains(unquote(t.getName()));
                    t.setSchemaName(shared ? null : MARKER);
                    marked |= !shared;
                    changed = true;
                } else {
                    checkSchema(t, schema, tenantSchemas);
                }
            }
            for (String seq : f.sequences) {
                checkSequence(seq, tenantSchemas);
            }
            for (String type : f.castTypes) {
                String schema = unquote(type.substring(0, type.indexOf('.')));
                if (!schema.equals("pg_catalog")) {
                    checkSchema(new Table(type.substring(0, type.indexOf('.')), type.substring(type.indexOf('.') + 1)),
                            schema, tenantSchemas);
                }
            }
        } catch (Outside e) {
            return Template.refused(sql, e.getMessage());
        }
        String text = changed && rewrite ? st.toString() : sql;
        return new Template(text, marked && rewrite, tenantSchemas.toArray(new String[0]), null);
    }

    private static final int KEPT = 0, UNQUALIFIED = 1, MARKED = 2;

    /**
     * Puts one table reference in the tenant's schema when it means it ({@code MARKED}); a shared
     * table written with a logical schema loses it ({@code UNQUALIFIED}); anything else is {@code KEPT}.
     */
    private int qualify(Table t, Set<String> ctes, Set<String> tenantSchemas) {
        if (t.getName() == null) {
            return KEPT;
        }
        if (t.getDatabase() != null && t.getDatabase().getDatabaseName() != null) {
            throw new Outside("the three-part table name " + t.getFullyQualifiedName() + " reaches past the tenant's"
                    + " schema");
        }
        String name = unquote(t.getName());
        String schema = t.getSchemaName() == null ? null : unquote(t.getSchemaName());
        if (schema == null) {
            if (ctes.contains(name) || name.equals("dual") || sharedPlain.contains(name)) {
                return KEPT;
            }
            if (name.startsWith("pg_")) {
                throw catalog(name);
            }
            if (!rewrite) {
                return KEPT;
            }
            t.setSchemaName(MARKER);
            return MARKED;
        }
        if (sharedQualified.contains(schema + "." + name)) {
            return KEPT;
        }
        if (logical.contains(schema)) {
            if (sharedPlain.contains(name)) {
                t.setSchemaName(null);
                return UNQUALIFIED;
            }
            t.setSchemaName(MARKER);
            return MARKED;
        }
        checkSchema(t, schema, tenantSchemas);
        return KEPT;
    }

    /**
     * A schema written in a statement, neither logical nor that of a shared table: a tenant's is
     * recorded (the execution refuses any but the executing tenant's own); a catalog or any other
     * schema refuses the statement.
     */
    private void checkSchema(Table t, String schema, Set<String> tenantSchemas) {
        if (schema == null) {
            return;
        }
        if (t.getDatabase() != null && t.getDatabase().getDatabaseName() != null) {
            throw new Outside("the three-part name " + t.getFullyQualifiedName() + " reaches past the tenant's schema");
        }
        if (sharedQualified.contains(schema + "." + unquote(t.getName()))) {
            return;
        }
        if (schema.startsWith("pg_") || CATALOGS.contains(schema)) {
            throw catalog(schema + "." + unquote(t.getName()));
        }
        if (tenancy.tenantOf(schema) != null) {
            tenantSchemas.add(schema);
            return;
        }
        throw new Outside("the statement names schema " + schema + " (" + schema + "." + unquote(t.getName()) + "),"
                + " which is neither the tenant's nor that of a shared table (tenancy.shared)");
    }

    /**
     * A sequence named in {@code nextval('...')}: unqualified is left to the connection (as for
     * functions and types); qualified, its schema is checked like a table's; not a literal refuses.
     */
    private void checkSequence(String seq, Set<String> tenantSchemas) {
        if (seq == null) {
            throw new Outside("a sequence function whose sequence is not a string literal (shardkit cannot tell whose"
                    + " sequence it is)");
        }
        int dot = seq.indexOf('.');
        if (dot < 0) {
            return;
        }
        Table t = new Table(seq.substring(0, dot), seq.substring(dot + 1));
        checkSchema(t, unquote(seq.substring(0, dot)), tenantSchemas);
    }

    private static Outside catalog(String name) {
        return new Outside("the statement reads the catalog " + name + ", which lists every tenant's schemas and"
                + " tables; a tenant's connection reads only its own schema and the shared tables (read catalogs on"
                + " a connection without a tenant)");
    }

    /** A table reference outside what a tenant may name; carries the refusal. */
    private static final class Outside extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Outside(String message) {
            super(message, null, false, false);
        }
    }

    /** Why a statement kind cannot run in rewrite mode, or {@code null}. */
    private static String refusedKind(Statement st) {
        if (st instanceof UseStatement) {
            return "USE would switch the connection away from the tenant's schema";
        }
        if (st instanceof SetStatement) {
            String text = st.toString().toLowerCase(Locale.ROOT);
            return text.contains("search_path") || text.startsWith("set schema")
                    ? "SET of the search path or schema would switch the connection away from the tenant's schema" : null;
        }
        if (st instanceof Drop d) {
            return DROPPABLE.contains(d.getType() == null ? "" : d.getType().toUpperCase(Locale.ROOT)) ? null
                    : "DROP " + d.getType() + " cannot be confined to the tenant's schema by rewriting; run it through"
                    + " ds.tenants().migrate(...), or drop the tenant with ds.tenants().drop(...)";
        }
        if (st instanceof Select || st instanceof Insert || st instanceof Update || st instanceof Delete
                || st instanceof Upsert || st instanceof Merge || st instanceof CreateTable || st instanceof CreateIndex
                || st instanceof CreateView || st instanceof Alter || st instanceof Truncate || st instanceof Comment
                || st instanceof Commit || st instanceof RollbackStatement || st instanceof SavepointStatement
                || st instanceof ExplainStatement) {
            return null;
        }
        return st.getClass().getSimpleName() + " statements cannot be confined to the tenant's schema by rewriting"
                + " (shardkit cannot find every object they name); run them through ds.tenants().migrate(...), where"
                + " the schema is set on the connection";
    }

    static String unquote(String identifier) {
        if (identifier == null) {
            return null;
        }
        String n = identifier;
        if (n.length() >= 2) {
            char f = n.charAt(0);
            char l = n.charAt(n.length() - 1);
            if ((f == '"' && l == '"') || (f == '`' && l == '`') || (f == '[' && l == ']')) {
                return n.substring(1, n.length() - 1);
            }
        }
        return n.toLowerCase(Locale.ROOT);
    }

    /**
     * One statement's text for any tenant. {@code text} holds {@value #MARKER} where the tenant's
     * schema goes when {@code marked}; {@code tenantSchemas} are tenant schemas the statement names
     * explicitly (each must be the executing tenant's own); {@code refusal} says why the statement
     * cannot run for a tenant, or is {@code null}.
     */
    public static final class Template {
        private final String text;
        private final boolean marked;
        private final String[] tenantSchemas;
        private final String refusal;
        /** The last tenant's text: [quoted schema, text], replaced whole so readers see a matching pair. */
        private volatile String[] last;

        Template(String text, boolean marked, String[] tenantSchemas, String refusal) {
            this.text = text;
            this.marked = marked;
            this.tenantSchemas = tenantSchemas;
            this.refusal = refusal;
        }

        static Template refused(String sql, String why) {
            return new Template(sql, false, new String[0], why);
        }

        public String text() {
            return text;
        }

        public boolean marked() {
            return marked;
        }

        public String refusal() {
            return refusal;
        }

        /** Tenant schemas the statement names explicitly; usually none. */
        public String[] tenantSchemas() {
            return tenantSchemas;
        }

        /**
         * The SQL for a tenant whose schema, quoted for the shard's dialect, is {@code quoted}. The
         * last result is kept, so a statement run again by the same tenant allocates nothing.
         */
        public String apply(String quoted) {
            if (!marked) {
                return text;
            }
            String[] l = last;
            if (l != null && l[0] == quoted) {
                return l[1];
            }
            String out = text.replace(MARKER, quoted);
            last = new String[] {quoted, out};
            return out;
        }
    }
}
