package io.shardkit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shardkit.ShardMapException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: {@code split.template}: the SQL file is found next to the map file, else on the class
 * path; it is cut into statements at {@code ;} outside strings and comments; and every way it can be
 * wrong is a map error naming {@code split.template} and its line.
 */
class SplitTemplateConfigTest {
    @TempDir Path dir;

    private Path map(String template, String create) throws Exception {
        Path file = dir.resolve("map.yaml");
        Files.writeString(file, """
                shards:
                  - {name: s0, url: "jdbc:sqlite:target/t/tpl0.db"}
                  - {name: s1, url: "jdbc:sqlite:target/t/tpl1.db"}
                tables:
                  orders:
                    key: customer_id
                    strategy: {type: mod, shards: [s0, s1]}
                    split: {by: created_at, as: {type: month}, name: "orders_{yyyyMM}", create: %s, template: %s}
                """.formatted(create, template));
        return file;
    }

    private static List<String> problems(Path file) {
        ShardMapException e = catchThrowableOfType(ShardMapException.class, () -> YamlShardMap.load(file));
        assertThat((Throwable) e).as("expected the map to be refused").isNotNull();
        assertThat(e.getSQLState()).isEqualTo("F0000");
        return e.problems();
    }

    @Test
    void i14_70_aTemplateNextToTheMapFileIsReadAndCutIntoStatements() throws Exception {
        Files.createDirectories(dir.resolve("db"));
        Files.writeString(dir.resolve("db/orders.sql"), "CREATE TABLE orders (id INTEGER, s TEXT DEFAULT 'x;y');\n"
                + "-- a comment; with a semicolon\nCREATE INDEX orders_s ON orders (s) ;  ;\n");
        TableSplit split = YamlShardMap.load(map("db/orders.sql", "onFirstWrite")).tables().get("orders").split();
        assertThat(split.template()).isEqualTo("db/orders.sql");
        assertThat(split.templateStatements()).containsExactly("CREATE TABLE orders (id INTEGER, s TEXT DEFAULT 'x;y')",
                "CREATE INDEX orders_s ON orders (s)");
    }

    @Test
    void i14_71_aTemplateNotBesideTheMapIsLookedUpOnTheClassPath() throws Exception {
        TableSplit split = YamlShardMap.load(map("split/orders.sql", "{ahead: 1}")).tables().get("orders").split();
        assertThat(split.templateStatements()).hasSize(2);
        assertThat(split.templateStatements().get(0)).startsWith("CREATE TABLE orders (").contains("DEFAULT 'a;b'")
                .doesNotContain("--");
        assertThat(split.templateStatements().get(1)).isEqualTo("CREATE INDEX orders_by_day ON orders (created_at)");
    }

    @Test
    void i14_72_aMissingTemplateNamesWhereItWasLookedFor() throws Exception {
        assertThat(problems(map("db/none.sql", "onFirstWrite"))).containsExactly("tables.orders.split.template: template"
                + " 'db/none.sql' not found: neither a file in " + dir.toAbsolutePath() + " (the map file's folder) nor a"
                + " class path resource (line 8)");
    }

    @Test
    void i14_73_templatesThatCannotMakeAPhysicalTableAreMapErrors() throws Exception {
        List<String> texts = List.of(
                "CREATE INDEX orders_s ON orders (s); CREATE TABLE orders (s TEXT)",
                "CREATE TABLE orders (s TEXT); DROP TABLE customers",
                "CREATE TABLE orders (s TEXT); CREATE INDEX c_s ON customers (s)",
                "CREATE TABLE orders (s TEXT); CREATE INDEX ON orders (s)",
                "CREATE TABLE orders (s TEXT DEFAULT 'open",
                "");
        List<String> expected = List.of(
                "template 't.sql' must start with CREATE TABLE orders (the statements after it may add indexes)",
                "template 't.sql', statement 2: only CREATE TABLE, CREATE [UNIQUE] INDEX and ALTER TABLE of orders may be in"
                        + " a template, got 'DROP TABLE customers'",
                "template 't.sql', statement 2: it does not name table orders ('CREATE INDEX c_s ON customers (s)'); a"
                        + " template creates one physical table and its indexes",
                "template 't.sql', statement 2: CREATE INDEX on split table without an index name (for SQLite)",
                "template 't.sql', statement 1: ",
                "template 't.sql' must start with CREATE TABLE orders (the statements after it may add indexes)");
        List<String> got = new ArrayList<>();
        for (String text : texts) {
            Files.writeString(dir.resolve("t.sql"), text);
            List<String> p = problems(map("t.sql", "onFirstWrite"));
            assertThat(p).hasSize(1);
            assertThat(p.get(0)).startsWith("tables.orders.split.template: ").endsWith(" (line 8)");
            got.add(p.get(0).substring("tables.orders.split.template: ".length(), p.get(0).length() - " (line 8)".length()));
        }
        for (int i = 0; i < texts.size(); i++) {
            assertThat(got.get(i)).as(texts.get(i)).startsWith(expected.get(i));
        }
    }

    @Test
    void i14_74_aTemplateWithCreateNeverOrAnEmptyNameIsRefused() throws Exception {
        Files.writeString(dir.resolve("t.sql"), "CREATE TABLE orders (s TEXT)");
        assertThat(problems(map("t.sql", "never"))).containsExactly("tables.orders.split.template: a template makes the"
                + " tables shardkit creates, and create is never (the default): set create to onFirstWrite or {ahead: N},"
                + " or remove the template (line 8)");
        assertThat(problems(map("\"  \"", "onFirstWrite"))).containsExactly("tables.orders.split.template: empty: name a"
                + " SQL file written for table orders (CREATE TABLE orders (...); CREATE INDEX ...) (line 8)");
        assertThat(problems(map("t.sql", "{ahead: 1001}"))).containsExactly("tables.orders.split.create.ahead: at most"
                + " 1000 periods ahead, got 1001 (line 8)");
    }
}
