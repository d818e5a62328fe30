package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.GoldenFixtures.Case;
import io.shardkit.GoldenFixtures.CaseFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden files pin every refusal (issue 13's safety net): each case of {@code refusals/FAMILY.cases}
 * runs through the JDBC API (a routed connection, or one pinned by {@code connectionTo}) and through
 * {@link ShardedDataSource#explain}, and {@code refusals/FAMILY.golden} holds, per case, the exception
 * class, SQLState and exact message of each, or {@code ok} with the row or update count (and the
 * explain text). Run with {@code -Dgoldens.write=true} to rewrite the golden files after an intended
 * change, then review the diff.
 *
 * <p>The {@code tenant} fixture runs every case through a tenant's connection (tenancy refuses there,
 * not in explain); its server does not exist either, so a statement tenancy lets through is recorded as
 * having reached the pool.
 *
 * <p>The {@code postgresql} and {@code mysql} fixtures have no server: a case explain answers is not
 * executed there (its JDBC line says so); refused ones are, since a refusal must come before any
 * connection is borrowed.
 */
class RefusalGoldenTest {
    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyRefusalMatchesItsGolden() throws Exception {
        List<CaseFile> files = GoldenFixtures.caseFiles();
        int cases = 0;
        for (CaseFile f : files) {
            cases += f.cases().size();
        }
        assertThat(cases).as("refusal golden cases").isGreaterThanOrEqualTo(100);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.family() + " (" + f.cases().size() + " cases)",
                () -> run(f)));
    }

    private void run(CaseFile file) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(file.family()));
        StringBuilder out = new StringBuilder("# refusal goldens of refusals/" + file.family() + ".cases on fixture "
                + file.fixture() + "; written by RefusalGoldenTest with -Dgoldens.write=true\n");
        boolean server = file.fixture().equals("postgresql") || file.fixture().equals("mysql");
        boolean tenant = file.fixture().equals("tenant");
        try (ShardedDataSource ds = GoldenFixtures.open(file.fixture(), folder)) {
            for (Case c : file.cases()) {
                out.append("== ").append(c.name()).append('\n');
                if (!c.params().isEmpty()) {
                    out.append("params: ").append(c.params()).append('\n');
                }
                if (c.tx()) {
                    out.append("autocommit: false\n");
                }
                if (c.pinned() != null) {
                    out.append("pinned: ").append(c.pinned()).append('\n');
                }
                boolean script = c.statements().size() > 1;
                String[] explains = new String[c.statements().size()];
                for (int i = 0; i < explains.length; i++) {
                    explains[i] = explain(ds, c.statements().get(i), c.params(), folder);
                }
                try (Connection conn = c.pinned() != null ? ds.connectionTo(c.pinned())
                        : tenant ? ds.forTenant("client1").getConnection() : ds.getConnection()) {
                    if (c.batch()) {
                        for (int i = 0; i < explains.length; i++) {
                            out.append("sql[").append(i + 1).append("]: ")
                                    .append(GoldenFixtures.escape(c.statements().get(i))).append('\n');
                            out.append("explain[").append(i + 1).append("]: ").append(explains[i]).append('\n');
                        }
                        out.append("jdbc(batch): ").append(batch(conn, c.statements(), folder)).append('\n');
                        continue;
                    }
                    if (c.tx()) {
                        conn.setAutoCommit(false);
                    }
                    for (int i = 0; i < explains.length; i++) {
                        String n = script ? "[" + (i + 1) + "]" : "";
                        String sql = c.statements().get(i);
                        out.append("sql").append(n).append(": ").append(GoldenFixtures.escape(sql)).append('\n');
                        String jdbc = server && explains[i].startsWith("ok")
                                ? "not run (no " + file.fixture() + " server; explain answered)"
                                : jdbc(conn, sql, c.params(), folder);
                        out.append("jdbc").append(n).append(": ").append(jdbc).append('\n');
                        out.append("explain").append(n).append(": ").append(explains[i]).append('\n');
                    }
                    if (c.tx()) {
                        conn.rollback();
                    }
                }
            }
            for (String s : ds.shardNames()) {
                assertThat(ds.activeConnections(s)).as("active connections of " + s + " after " + file.family()).isZero();
            }
        }
        GoldenFixtures.compare(GoldenFixtures.resources().resolve("refusals/" + file.family() + ".golden"), out.toString());
    }

    private static String jdbc(Connection conn, String sql, List<Object> params, Path folder) {
        String head = sql.stripLeading().toUpperCase(Locale.ROOT);
        try {
            if (head.startsWith("{CALL")) {
                try (CallableStatement cs = conn.prepareCall(sql)) {
                    bind(cs, params);
                    return counted(cs, cs.execute());
                }
            }
            boolean query = head.startsWith("SELECT") || head.startsWith("WITH") || head.startsWith("VALUES")
                    || head.startsWith("EXPLAIN");
            if (!params.isEmpty()) {
                try (PreparedStatement ps = conn.prepareStatement(sql)) {
                    bind(ps, params);
                    return query ? rows(ps.executeQuery()) : counted(ps, ps.execute());
                }
            }
            try (Statement st = conn.createStatement()) {
                return query ? rows(st.executeQuery(sql)) : counted(st, st.execute(sql));
            }
        } catch (SQLException | RuntimeException e) {
            return failure(e, folder);
        }
    }

    private static String batch(Connection conn, List<String> statements, Path folder) {
        try (Statement st = conn.createStatement()) {
            for (String sql : statements) {
                st.addBatch(sql);
            }
            return "ok counts=" + Arrays.toString(st.executeBatch());
        } catch (SQLException | RuntimeException e) {
            String counts = e instanceof BatchUpdateException b
                    ? " counts=" + Arrays.toString(b.getUpdateCounts()) : "";
            return failure(e, folder) + counts;
        }
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
    }

    private static String counted(Statement st, boolean resultSet) throws SQLException {
        return resultSet ? rows(st.getResultSet()) : "ok update=" + st.getUpdateCount();
    }

    private static String rows(ResultSet rs) throws SQLException {
        try (rs) {
            int n = 0;
            while (rs.next()) {
                n++;
            }
            return "ok rows=" + n;
        }
    }

    private static String explain(ShardedDataSource ds, String sql, List<Object> params, Path folder) {
        try {
            StringBuilder sb = new StringBuilder("ok");
            for (String line : ds.explain(sql, params.toArray()).toString().split("\n")) {
                sb.append("\n  | ").append(GoldenFixtures.escape(line));
            }
            return sb.toString();
        } catch (SQLException | RuntimeException e) {
            return failure(e, folder);
        }
    }

    static String failure(Throwable e, Path folder) {
        if (e instanceof ShardException && String.valueOf(e.getMessage()).contains("Connection is not available")) {
            // the statement got past every refusal and asked the pool of a server that does not exist; the
            // pool's SQLState and wait depend on whether its first connect attempt failed in time
            return "reached the pool (no server)";
        }
        String state = e instanceof SQLException s ? s.getSQLState() : "-";
        String message = String.valueOf(e.getMessage()).replace(folder.toString(), "<dir>");
        return e.getClass().getName() + " " + state + " " + GoldenFixtures.escape(message);
    }
}
