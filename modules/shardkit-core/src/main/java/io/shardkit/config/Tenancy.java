package io.shardkit.config;

import io.shardkit.sql.Dialect;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Schema-per-tenant multi-tenancy (YAML {@code tenancy:}): each tenant has its own schema in every
 * shard's database (on MySQL/MariaDB, where a schema is a database, its own database), named by a
 * pattern such as {@code tenant_{tenant}}. {@code ShardedDataSource.forTenant(name)} gives a view
 * whose every statement runs in that schema; the shards' pools are shared by all tenants.
 *
 * <p>Three modes. {@link Mode#REWRITE} (the default) qualifies every table reference that has no
 * schema, or one of {@link #logicalSchemas}, with the tenant's schema before the SQL reaches a
 * shard; the pooled connections are not switched (but checked when returned). {@link Mode#SEARCH_PATH}
 * sends SQL unchanged and sets the schema on each pooled connection when a tenant's connection
 * borrows it ({@code setSchema} on PostgreSQL, {@code setCatalog} on MySQL), resetting it when it
 * is returned. {@link Mode#ROLE} (PostgreSQL only) does what search_path mode does and also runs
 * {@code SET ROLE} to the tenant's own role (named by {@link #role}), which holds privileges on the
 * tenant's schema only, so the database itself refuses every other tenant's objects. In every mode
 * a statement may name only the tenant's own schema and the shared tables; catalogs are refused.
 * The guarantees of each mode are in one table in docs/TENANCY.md.
 *
 * <p>Tenant names are plain lower-case identifiers ({@code [a-z_][a-z0-9_]*}) short enough that
 * the schema name fits 63 characters, and never a system or shared schema; they are always quoted
 * where they reach SQL.
 *
 * @param mode how a tenant's statements reach its schema
 * @param schema the physical schema pattern, containing {@value #PLACEHOLDER} once
 * @param logicalSchemas schema names that SQL may write and that mean "the tenant's schema"
 *     (lower case; rewrite mode only); a table without a schema always means it
 * @param shared tables that keep the schema they are written with ({@code schema.table}), or that
 *     are left unqualified ({@code table}); lower case
 * @param tenants tenants known without asking the database; others are looked up when first used
 * @param role the role pattern of role mode, containing {@value #PLACEHOLDER} once; {@code null}
 *     means the schema pattern (the role is named like the schema); must be {@code null} in the
 *     other modes
 */
public record Tenancy(Mode mode, String schema, List<String> logicalSchemas, List<String> shared, List<String> tenants,
        String role) {

    /** How a tenant's statements reach its schema. */
    public enum Mode {
        /** Table references are qualified with the tenant's schema (analysis shared by all tenants). */
        REWRITE("rewrite"),
        /** The schema is set on each pooled connection while a tenant uses it, and reset on return. */
        SEARCH_PATH("search_path"),
        /**
         * PostgreSQL only: as search_path, and {@code SET ROLE} to the tenant's role while a tenant
         * uses the connection ({@code RESET ROLE}, verified, on return): the database refuses what
         * the tenant's role holds no privilege on.
         */
        ROLE("role");

        private final String yaml;

        Mode(String yaml) {
            this.yaml = yaml;
        }

        /** The name used in YAML: {@code rewrite} or {@code search_path}. */
        public String yamlName() {
            return yaml;
        }

        /** The mode named in YAML, or {@code null}. */
        public static Mode fromYaml(String name) {
            for (Mode m : values()) {
                if (m.yaml.equals(name)) {
                    return m;
                }
            }
            return null;
        }
    }

    /** What the schema pattern's tenant part is written as. */
    public static final String PLACEHOLDER = "{tenant}";
    /** The longest schema name: PostgreSQL's identifier limit (MySQL allows 64). */
    public static final int MAX_SCHEMA_LENGTH = 63;

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern PATTERN_PART = Pattern.compile("[a-z0-9_]*");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> SYSTEM_SCHEMAS =
            Set.of("public", "information_schema", "mysql", "performance_schema", "sys");

    /** The roles PostgreSQL reserves or reads as keywords; a tenant's role is never one of them. */
    private static final Set<String> RESERVED_ROLES =
            Set.of("public", "none", "current_user", "session_user", "current_role", "user", "all");

    public Tenancy {
        mode = mode == null ? Mode.REWRITE : mode;
        logicalSchemas = lower(logicalSchemas);
        shared = lower(shared);
        tenants = tenants == null ? List.of() : List.copyOf(tenants);
    }

    private static List<String> lower(List<String> names) {
        if (names == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(names.size());
        for (String n : names) {
            out.add(n == null ? "" : n.toLowerCase(Locale.ROOT));
        }
        return List.copyOf(out);
    }

    /** Without a role pattern: the modes before role mode. */
    public Tenancy(Mode mode, String schema, List<String> logicalSchemas, List<String> shared, List<String> tenants) {
        this(mode, schema, logicalSchemas, shared, tenants, null);
    }

    /** Rewrite mode with a schema pattern such as {@code tenant_{tenant}}. */
    public static Tenancy rewrite(String schemaPattern) {
        return new Tenancy(Mode.REWRITE, schemaPattern, List.of(), List.of(), List.of());
    }

    /** Search-path mode with a schema pattern such as {@code tenant_{tenant}}. */
    public static Tenancy searchPath(String schemaPattern) {
        return new Tenancy(Mode.SEARCH_PATH, schemaPattern, List.of(), List.of(), List.of());
    }

    /** Role mode (PostgreSQL) with a schema pattern; the role of each tenant is named like its schema. */
    public static Tenancy role(String schemaPattern) {
        return new Tenancy(Mode.ROLE, schemaPattern, List.of(), List.of(), List.of());
    }

    /** Tables that keep their schema: {@code public.users}, or {@code plans} to leave it unqualified. */
    public Tenancy withShared(String... tables) {
        return new Tenancy(mode, schema, logicalSchemas, List.of(tables), tenants, role);
    }

    /** Schema names SQL may write that mean the tenant's schema (rewrite mode). */
    public Tenancy withLogicalSchemas(String... schemas) {
        return new Tenancy(mode, schema, List.of(schemas), shared, tenants, role);
    }

    /** Tenants known without asking the database. */
    public Tenancy withTenants(String... names) {
        return new Tenancy(mode, schema, logicalSchemas, shared, List.of(names), role);
    }

    /** The role pattern of role mode, such as {@code tenant_{tenant}} (default: the schema pattern). */
    public Tenancy withRole(String rolePattern) {
        return new Tenancy(mode, schema, logicalSchemas, shared, tenants, rolePattern);
    }

    private String prefix() {
        return schema.substring(0, schema.indexOf(PLACEHOLDER));
    }

    private String suffix() {
        return schema.substring(schema.indexOf(PLACEHOLDER) + PLACEHOLDER.length());
    }

    /** The physical schema of a tenant whose name is valid ({@link #problem} returned null). */
    public String schemaOf(String tenant) {
        return prefix() + tenant + suffix();
    }

    /** The role pattern in use: {@link #role}, or the schema pattern when none is given. */
    private String rolePattern() {
        return role == null ? schema : role;
    }

    /**
     * The role of a tenant whose name is valid, in role mode; {@code null} in the other modes.
     * Like the schema it is a plain lower-case identifier, quoted where it reaches SQL.
     */
    public String roleOf(String tenant) {
        if (mode != Mode.ROLE) {
            return null;
        }
        String p = rolePattern();
        int at = p.indexOf(PLACEHOLDER);
        return p.substring(0, at) + tenant + p.substring(at + PLACEHOLDER.length());
    }

    /** The longest tenant name the pattern (and in role mode the role pattern) leaves room for. */
    public int maxNameLength() {
        int n = MAX_SCHEMA_LENGTH - (schema.length() - PLACEHOLDER.length());
        return mode == Mode.ROLE ? Math.min(n, MAX_SCHEMA_LENGTH - (rolePattern().length() - PLACEHOLDER.length())) : n;
    }

    /**
     * Why a tenant name is refused, or {@code null} when it is valid: it must be a plain lower-case
     * identifier, short enough, and its schema must not be a system schema, a logical schema or the
     * schema of a shared table.
     */
    public String problem(String tenant) {
        if (tenant == null || tenant.isEmpty()) {
            return "a tenant name is needed (got " + (tenant == null ? "null" : "an empty name") + ")";
        }
        if (!NAME.matcher(tenant).matches()) {
            return "tenant name '" + shortName(tenant) + "' is not a plain identifier: use lower-case letters, digits"
                    + " and _, starting with a letter or _";
        }
        if (tenant.length() > maxNameLength()) {
            return "tenant name '" + shortName(tenant) + "' is " + tenant.length() + " characters long; at most "
                    + maxNameLength() + " fit, since its schema (" + schema + ") must stay within "
                    + MAX_SCHEMA_LENGTH + " characters";
        }
        String physical = schemaOf(tenant);
        if (reserved(physical)) {
            return "tenant name '" + tenant + "' is reserved: its schema " + physical
                    + " is a system, logical or shared schema";
        }
        String r = roleOf(tenant);
        if (r != null && (r.startsWith("pg_") || RESERVED_ROLES.contains(r))) {
            return "tenant name '" + tenant + "' is reserved: its role " + r + " is a PostgreSQL system role or keyword";
        }
        return null;
    }

    private static String shortName(String tenant) {
        return tenant.length() <= 80 ? tenant : tenant.substring(0, 77) + "...";
    }

    private boolean reserved(String physical) {
        if (SYSTEM_SCHEMAS.contains(physical) || physical.startsWith("pg_") || logicalSchemas.contains(physical)) {
            return true;
        }
        for (String s : shared) {
            int dot = s.indexOf('.');
            if (dot > 0 && s.substring(0, dot).equals(physical)) {
                return true;
            }
        }
        return false;
    }

    /** The tenant whose schema this is (lower case, unquoted), or {@code null}. */
    public String tenantOf(String physical) {
        String p = prefix();
        String s = suffix();
        if (physical.length() <= p.length() + s.length() || !physical.startsWith(p) || !physical.endsWith(s)) {
            return null;
        }
        String tenant = physical.substring(p.length(), physical.length() - s.length());
        return problem(tenant) == null ? tenant : null;
    }

    /** Adds every problem of this section to {@code problems}, at YAML paths under {@code tenancy}. */
    void validate(Problems problems, ShardMap map) {
        boolean patternOk = checkPattern(problems);
        for (int i = 0; i < logicalSchemas.size(); i++) {
            String s = logicalSchemas.get(i);
            String path = "tenancy.logicalSchemas[" + i + "]";
            if (mode != Mode.REWRITE) {
                problems.add(path, "logical schemas need mode rewrite: in " + mode.yamlName() + " mode SQL reaches the"
                        + " shards unchanged, so a schema written in it is used as written");
            } else if (!IDENTIFIER.matcher(s).matches()) {
                problems.add(path, "'" + s + "' is not a plain schema name");
            }
        }
        for (int i = 0; i < shared.size(); i++) {
            String t = shared.get(i);
            String path = "tenancy.shared[" + i + "]";
            int dot = t.indexOf('.');
            TableRule splitRule = map.tables().get(t.substring(dot + 1));
            if (splitRule != null && splitRule.isSplit()) {
                problems.add(path, "'" + t + "' is split by name (tables." + splitRule.table() + ".split): a split table"
                        + " lives in each tenant's schema, as its physical tables, and cannot be shared");
                continue;
            }
            boolean ok = dot < 0 ? IDENTIFIER.matcher(t).matches()
                    : IDENTIFIER.matcher(t.substring(0, dot)).matches() && IDENTIFIER.matcher(t.substring(dot + 1)).matches();
            if (!ok) {
                problems.add(path, "'" + t + "' is not a table name (write table or schema.table)");
            } else if (mode != Mode.REWRITE && dot < 0) {
                problems.add(path, "in " + mode.yamlName() + " mode a shared table must name its schema (for example"
                        + " public." + t + "): an unqualified name resolves in the tenant's schema");
            }
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < tenants.size() && patternOk; i++) {
            String t = tenants.get(i);
            String why = problem(t);
            if (why != null) {
                problems.add("tenancy.tenants[" + i + "]", why);
            } else if (!seen.add(t)) {
                problems.add("tenancy.tenants[" + i + "]", "duplicate tenant '" + t + "'");
            }
        }
        if (role != null && mode != Mode.ROLE) {
            problems.add("tenancy.role", "a role pattern needs mode: role (in " + mode.yamlName() + " mode no role is"
                    + " set on the connections)");
        } else if (role != null) {
            checkPattern(problems, "tenancy.role", role);
        }
        for (ShardSpec s : map.shards()) {
            Dialect d = s.url() == null ? Dialect.OTHER : Dialect.fromUrl(s.url());
            if (mode == Mode.ROLE && d != Dialect.POSTGRESQL) {
                problems.add("tenancy.mode", "mode role needs PostgreSQL shards; shard " + s.name() + " is "
                        + d.name().toLowerCase(Locale.ROOT) + ". On MySQL/MariaDB a role only adds privileges to the"
                        + " login user's, so tenant isolation there is by rewriting (mode rewrite or search_path) only;"
                        + " see docs/TENANCY.md");
                break;
            }
            if (d != Dialect.POSTGRESQL && d != Dialect.MYSQL) {
                problems.add("tenancy", "schema-per-tenant needs PostgreSQL or MySQL/MariaDB shards; shard " + s.name()
                        + " is " + d.name().toLowerCase(Locale.ROOT) + " (for a database per tenant, open a shard per"
                        + " tenant at runtime: ShardedDataSource.shards())");
                break;
            }
        }
        for (TableRule rule : map.tables().values()) {
            if (rule.archive() != null) {
                problems.add("tenancy", "schema-per-tenant is not supported together with an archive tier (tables."
                        + rule.table() + ".archive)");
                break;
            }
        }
    }

    private boolean checkPattern(Problems problems) {
        if (schema == null || schema.isBlank()) {
            problems.add("tenancy.schema", "missing: the tenant's schema name, with {tenant} where the tenant's name"
                    + " goes (for example tenant_{tenant})");
            return false;
        }
        return checkPattern(problems, "tenancy.schema", schema);
    }

    /** Checks a schema or role pattern: {tenant} once, plain characters around it, room for a name. */
    private static boolean checkPattern(Problems problems, String path, String pattern) {
        int at = pattern.indexOf(PLACEHOLDER);
        if (at < 0 || pattern.indexOf(PLACEHOLDER, at + 1) >= 0) {
            problems.add(path, "'" + pattern + "' must contain {tenant} exactly once");
            return false;
        }
        String prefix = pattern.substring(0, at);
        String fixed = prefix + pattern.substring(at + PLACEHOLDER.length());
        if (!PATTERN_PART.matcher(fixed).matches()) {
            problems.add(path, "'" + pattern + "': around {tenant} only lower-case letters, digits and _"
                    + " may appear");
            return false;
        }
        if (!prefix.isEmpty() && Character.isDigit(prefix.charAt(0))) {
            problems.add(path, "'" + pattern + "' must start with a letter, _ or {tenant}");
            return false;
        }
        if (MAX_SCHEMA_LENGTH - fixed.length() < 1) {
            problems.add(path, "'" + pattern + "' leaves no room for a tenant name within "
                    + MAX_SCHEMA_LENGTH + " characters");
            return false;
        }
        return true;
    }
}
