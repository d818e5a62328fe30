package io.shardkit.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.ShardedDataSource;
import io.shardkit.TenantDataSource;
import io.shardkit.testing.PostgresShards;
import io.shardkit.testing.ShardSet;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tenant isolation under load, in all three modes: 64 threads, 20 tenants, a random mix of point reads,
 * merged reads (ORDER BY/LIMIT, GROUP BY), single and split inserts, updates, deletes and
 * transactions, for a few seconds, over two shards. Every row carries its tenant's name; ids are
 * unique across tenants, so reading or writing a random id is a probe into other tenants' rows.
 *
 * <p>Asserted: no statement ever sees or changes another tenant's row (nor the rows in the default
 * schema, which plain connections keep reading meanwhile); afterwards every tenant holds exactly
 * the rows it wrote, every pooled connection of every shard is in the default schema with the
 * default search path and the login user, and each database has at most one pool's worth of
 * connections. The tenants are made by role mode (each with its own role owning its schema), so
 * the same schemas serve all three modes; the login user is the embedded server's superuser, which
 * role mode warns about but which {@code SET ROLE} still confines to the tenant's privileges.
 */
@PostgresShards
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationPostgresTest {
    static final int THREADS = 64;
    static final int TENANTS = 20;
    static final int POOL = 64;
    static final long MILLIS = 2_000;

    ShardSet shards;
    final List<String> tenants = new ArrayList<>();

    ShardedDataSource open(String mode) throws SQLException {
        ShardSet two = new ShardSet("postgresql", shards.names().subList(0, 2), shards.urls().subList(0, 2),
                shards.user(), shards.password());
        String yaml = two.yamlShards() + """
                pool:
                  maximumPoolSize: %d
                  connectionTimeout: 20000
                tables:
                  items:
                    key: id
                    strategy: {type: mod, shards: [s0, s1]}
                defaultShard: s0
                tenancy:
                  mode: %s
                  schema: tenant_{tenant}
                """.formatted(POOL, mode);
        return ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @BeforeAll
    void createTenants(ShardSet shards) throws SQLException {
        this.shards = shards;
        try (ShardedDataSource ds = open("role")) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, tenant VARCHAR(20) NOT NULL, val INT NOT NULL)");
                st.executeUpdate("INSERT INTO items (id, tenant, val) VALUES (-1, 'public', 0), (-2, 'public', 0)");
            }
            for (int i = 0; i < TENANTS; i++) {
                String t = String.format("t%02d", i);
                tenants.add(t);
                ds.tenants().create(t, c -> {
                    try (Statement st = c.createStatement()) {
                        st.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, tenant VARCHAR(20) NOT NULL, val INT NOT NULL)");
                    }
                });
            }
        }
    }

    @AfterAll
    void dropTenants() throws SQLException {
        try (ShardedDataSource ds = open("role")) {
            for (String t : tenants) {
                ds.tenants().drop(t, t);
            }
        }
    }

    /** What the run saw: violations of isolation, unexpected errors, and how often each operation ran. */
    static final class Run {
        final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        final Map<String, LongAdder> ops = new ConcurrentHashMap<>();
        /** id → tenant, for every row that exists (committed and not deleted). */
        final Map<Long, String> owner = new ConcurrentHashMap<>();
        final AtomicLong nextId = new AtomicLong(1);

        void count(String op) {
            ops.computeIfAbsent(op, k -> new LongAdder()).increment();
        }

        void violation(String what) {
            if (violations.size() < 50) {
                violations.add(what);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rewrite", "search_path", "role"})
    void noTenantEverSeesAnotherTenantsRows(String mode) throws Exception {
        String expectedSearchPath;
        String expectedUser;
        try (Connection c = shards.open(0); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_setting('search_path'), current_user")) {
            rs.next();
            expectedSearchPath = rs.getString(1);
            expectedUser = rs.getString(2);
        }
        Run run = new Run();
        try (ShardedDataSource ds = open(mode)) {
            TenantDataSource[] views = new TenantDataSource[TENANTS];
            for (int i = 0; i < TENANTS; i++) {
                views[i] = ds.forTenant(tenants.get(i));
            }
            long end = System.nanoTime() + MILLIS * 1_000_000;
            CountDownLatch done = new CountDownLatch(THREADS);
            for (int w = 0; w < THREADS; w++) {
                Thread t = new Thread(() -> {
                    try {
                        while (System.nanoTime() < end) {
                            ThreadLocalRandom r = ThreadLocalRandom.current();
                            if (r.nextInt(20) == 0) {
                                plainRead(ds, run);
                            } else {
                                int i = r.nextInt(TENANTS);
                                step(views[i], tenants.get(i), run, r);
                            }
                        }
                    } catch (Throwable e) {
                        run.errors.add(e);
                    } finally {
                        done.countDown();
                    }
                }, "tenant-load-" + w);
                t.start();
            }
            done.await();

            assertThat(run.errors).as("unexpected errors").isEmpty();
            assertThat(ds.tenants().connectionsEvicted()).as("connections evicted: their reset failed").isZero();
            assertThat(run.violations).as("isolation violations").isEmpty();
            assertThat(run.ops.keySet()).as("operations run").containsExactlyInAnyOrder("insert", "split insert",
                    "point read", "merged read", "group by", "update", "update others", "delete", "delete others",
                    "transaction", "plain read");
            System.out.printf("tenant isolation (%s): %s%n", mode, new TreeMap<>(run.ops));

            // afterwards: every tenant holds exactly the rows it wrote, and only those
            for (int i = 0; i < TENANTS; i++) {
                String t = tenants.get(i);
                TreeSet<Long> expected = new TreeSet<>();
                run.owner.forEach((id, who) -> {
                    if (who.equals(t)) {
                        expected.add(id);
                    }
                });
                TreeSet<Long> actual = new TreeSet<>();
                try (Connection c = views[i].getConnection(); Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT id, tenant FROM items")) {
                    while (rs.next()) {
                        actual.add(rs.getLong(1));
                        assertThat(rs.getString(2)).isEqualTo(t);
                    }
                }
                assertThat(actual).as("rows of " + t).isEqualTo(expected);
            }
            for (int s = 0; s < 2; s++) {
                try (Connection c = shards.open(s); Statement st = c.createStatement()) {
                    for (String t : tenants) {
                        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM tenant_" + t + ".items WHERE tenant <> '"
                                + t + "'")) {
                            rs.next();
                            assertThat(rs.getLong(1)).as("foreign rows in tenant_" + t + " on s" + s).isZero();
                        }
                    }
                    try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM public.items WHERE tenant <> 'public'")) {
                        rs.next();
                        assertThat(rs.getLong(1)).as("tenant rows in public.items on s" + s).isZero();
                    }
                }
            }

            // every pooled connection is back in the default schema: borrow as many as the pool holds, so every one
            for (int s = 0; s < 2; s++) {
                String shard = "s" + s;
                assertThat(ds.activeConnections(shard)).isZero();
                int pooled;
                try (Connection raw = shards.open(s); Statement st = raw.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
                    rs.next();
                    pooled = rs.getInt(1);
                }
                assertThat(pooled).as("connections to " + shard + ": one pool for all tenants").isBetween(1, POOL);
                List<Connection> held = new ArrayList<>();
                try {
                    for (int i = 0; i < pooled; i++) {
                        Connection c = ds.connectionTo(shard);
                        held.add(c);
                        try (Statement st = c.createStatement();
                                ResultSet rs = st.executeQuery("SELECT current_schema(), current_setting('search_path'),"
                                        + " current_user")) {
                            rs.next();
                            assertThat(rs.getString(1)).as(shard + " connection " + i).isEqualTo("public");
                            assertThat(rs.getString(2)).as(shard + " connection " + i).isEqualTo(expectedSearchPath);
                            assertThat(rs.getString(3)).as(shard + " connection " + i).isEqualTo(expectedUser);
                        }
                    }
                } finally {
                    for (Connection c : held) {
                        c.close();
                    }
                }
            }
        }
        // leave the tenants empty for the other mode
        try (ShardedDataSource ds = open("rewrite")) {
            for (String t : tenants) {
                try (Connection c = ds.forTenant(t).getConnection(); Statement st = c.createStatement()) {
                    st.executeUpdate("DELETE FROM items");
                }
            }
        }
    }

    /** A connection without a tenant reads the default schema's rows only. */
    private static void plainRead(ShardedDataSource ds, Run run) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT tenant FROM items")) {
            int n = 0;
            while (rs.next()) {
                n++;
                if (!rs.getString(1).equals("public")) {
                    run.violation("a plain connection read a row of " + rs.getString(1));
                }
            }
            if (n != 2) {
                run.violation("a plain connection read " + n + " rows of public.items, not 2");
            }
        }
        run.count("plain read");
    }

    /** One random operation of tenant {@code t}; checks every row it sees and every count it gets. */
    private static void step(TenantDataSource view, String t, Run run, ThreadLocalRandom r) throws SQLException {
        long anyId = 1 + r.nextLong(Math.max(1, run.nextId.get()));
        try (Connection c = view.getConnection()) {
            switch (r.nextInt(10)) {
                case 0, 1 -> {
                    long id = run.nextId.getAndIncrement();
                    run.owner.put(id, t);
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO items (id, tenant, val) VALUES (?, ?, 0)")) {
                        ps.setLong(1, id);
                        ps.setString(2, t);
                        ps.executeUpdate();
                    }
                    run.count("insert");
                }
                case 2 -> {
                    long a = run.nextId.getAndIncrement();
                    long b = run.nextId.getAndIncrement();
                    run.owner.put(a, t);
                    run.owner.put(b, t);
                    try (Statement st = c.createStatement()) {
                        int n = st.executeUpdate("INSERT INTO items (id, tenant, val) VALUES (" + a + ", '" + t + "', 0), ("
                                + b + ", '" + t + "', 0)");
                        if (n != 2) {
                            run.violation(t + ": split insert counted " + n);
                        }
                    }
                    run.count("split insert");
                }
                case 3 -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT id, tenant FROM items WHERE id = ?")) {
                        ps.setLong(1, anyId);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                checkRow(run, t, rs.getLong(1), rs.getString(2), "point read");
                            }
                        }
                    }
                    run.count("point read");
                }
                case 4 -> {
                    try (Statement st = c.createStatement();
                            ResultSet rs = st.executeQuery("SELECT id, tenant FROM items ORDER BY id DESC LIMIT 20")) {
                        while (rs.next()) {
                            checkRow(run, t, rs.getLong(1), rs.getString(2), "merged read");
                        }
                    }
                    run.count("merged read");
                }
                case 5 -> {
                    try (Statement st = c.createStatement();
                            ResultSet rs = st.executeQuery("SELECT tenant, COUNT(*) FROM items GROUP BY tenant")) {
                        while (rs.next()) {
                            if (!rs.getString(1).equals(t)) {
                                run.violation(t + ": GROUP BY saw " + rs.getLong(2) + " rows of " + rs.getString(1));
                            }
                        }
                    }
                    run.count("group by");
                }
                case 6 -> {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE items SET val = val + 1 WHERE id = ?")) {
                        ps.setLong(1, anyId);
                        int n = ps.executeUpdate();
                        // read after: the owner is recorded before its insert runs, so a row found is recorded
                        String who = run.owner.get(anyId);
                        if (n > 0 && !t.equals(who)) {
                            run.violation(t + ": updated id " + anyId + " of " + who);
                        }
                    }
                    run.count("update");
                    try (PreparedStatement ps = c.prepareStatement("UPDATE items SET val = val + 1 WHERE tenant <> ?")) {
                        ps.setString(1, t);
                        int n = ps.executeUpdate();
                        if (n != 0) {
                            run.violation(t + ": updated " + n + " rows of other tenants");
                        }
                    }
                    run.count("update others");
                }
                case 7 -> {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM items WHERE id = ?")) {
                        ps.setLong(1, anyId);
                        int n = ps.executeUpdate();
                        String who = run.owner.get(anyId);
                        if (n > 0) {
                            if (!t.equals(who)) {
                                run.violation(t + ": deleted id " + anyId + " of " + who);
                            } else {
                                run.owner.remove(anyId);
                            }
                        }
                    }
                    run.count("delete");
                    try (Statement st = c.createStatement()) {
                        int n = st.executeUpdate("DELETE FROM items WHERE tenant <> '" + t + "'");
                        if (n != 0) {
                            run.violation(t + ": deleted " + n + " rows of other tenants");
                        }
                    }
                    run.count("delete others");
                }
                default -> {
                    long id = run.nextId.getAndIncrement();
                    run.owner.put(id, t);
                    c.setAutoCommit(false);
                    try (PreparedStatement ins = c.prepareStatement("INSERT INTO items (id, tenant, val) VALUES (?, ?, 1)");
                            PreparedStatement sel = c.prepareStatement("SELECT id, tenant FROM items WHERE id = ?")) {
                        ins.setLong(1, id);
                        ins.setString(2, t);
                        ins.executeUpdate();
                        sel.setLong(1, id);
                        try (ResultSet rs = sel.executeQuery()) {
                            if (!rs.next() || !rs.getString(2).equals(t)) {
                                run.violation(t + ": a transaction did not see its own insert " + id);
                            }
                        }
                    }
                    if (r.nextBoolean()) {
                        c.commit();
                    } else {
                        c.rollback();
                        run.owner.remove(id);
                    }
                    run.count("transaction");
                }
            }
        }
    }

    private static void checkRow(Run run, String t, long id, String marker, String op) {
        if (!marker.equals(t)) {
            run.violation(t + ": " + op + " saw row " + id + " of " + marker);
        }
        String who = run.owner.get(id);
        if (who != null && !who.equals(t)) {
            run.violation(t + ": " + op + " saw row " + id + " owned by " + who);
        }
    }
}
