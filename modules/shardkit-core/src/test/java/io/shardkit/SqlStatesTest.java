package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.merge.MergeLimitException;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SqlStatesTest {

    /** A five-character literal with a digit: an SQLState, or one of {@link #NOT_STATES}. */
    private static final Pattern LITERAL = Pattern.compile("\"((?=[0-9A-Z]*[0-9])[0-9A-Z]{5})\"");

    /** Literals of that shape that are not SQLStates. */
    private static final Set<String> NOT_STATES = Set.of(
            "10000"); // SQLite's busy_timeout in milliseconds (pool.ShardRegistry)

    private static Map<String, String> constants() throws IllegalAccessException {
        Map<String, String> byValue = new HashMap<>();
        for (Field f : SqlStates.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                assertThat(Modifier.isPublic(f.getModifiers()) && Modifier.isFinal(f.getModifiers()))
                        .as(f.getName()).isTrue();
                String value = (String) f.get(null);
                assertThat(value).as(f.getName()).matches("[0-9A-Z]{5}");
                String before = byValue.put(value, f.getName());
                assertThat(before).as("SQLState " + value + " has one constant, not " + before + " and " + f.getName())
                        .isNull();
            }
        }
        return byValue;
    }

    @Test
    void i13_01_everySqlStateLiteralInCoreAndCliIsASqlStatesConstant() throws Exception {
        Set<String> known = constants().keySet();
        Path root = Path.of(System.getProperty("shardkit.repo.root"));
        List<String> missing = new ArrayList<>();
        for (String module : List.of("modules/shardkit-core", "modules/shardkit-cli")) {
            Path main = root.resolve(module).resolve("src/main/java");
            assertThat(main).isDirectory();
            try (Stream<Path> files = Files.walk(main)) {
                for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    List<String> lines = read(file);
                    for (int i = 0; i < lines.size(); i++) {
                        Matcher m = LITERAL.matcher(lines.get(i));
                        while (m.find()) {
                            if (!known.contains(m.group(1)) && !NOT_STATES.contains(m.group(1))) {
                                missing.add(root.relativize(file) + ":" + (i + 1) + ": " + m.group(1));
                            }
                        }
                    }
                }
            }
        }
        assertThat(missing).as("SQLStates raised without a constant in SqlStates").isEmpty();
    }

    @Test
    void i13_01_publishedConstantsAreAliasesOfSqlStates() throws Exception {
        Map<String, String> byValue = constants();
        assertThat(byValue).hasSizeGreaterThan(40);
        assertThat(RefusedException.SQL_STATE).isEqualTo(SqlStates.FEATURE_NOT_SUPPORTED).isEqualTo("0A000");
        assertThat(ShardMapException.SQL_STATE).isEqualTo(SqlStates.CONFIG_FILE_ERROR).isEqualTo("F0000");
        assertThat(ShardException.ROUTING).isEqualTo(SqlStates.GENERAL_ERROR).isEqualTo("HY000");
        assertThat(ShardException.UNREACHABLE).isEqualTo(SqlStates.UNABLE_TO_CONNECT).isEqualTo("08001");
        assertThat(ShardException.PARTIAL_COMMIT).isEqualTo(SqlStates.PARTIAL_COMMIT).isEqualTo("SK001");
        assertThat(Tenants.INVALID_NAME).isEqualTo(SqlStates.INVALID_NAME).isEqualTo("42602");
        assertThat(Tenants.UNKNOWN_TENANT).isEqualTo(SqlStates.INVALID_SCHEMA_NAME).isEqualTo("3F000");
        assertThat(Tenants.EXISTS).isEqualTo(SqlStates.DUPLICATE_SCHEMA).isEqualTo("42P06");
        assertThat(Tenants.NOT_CONFIRMED).isEqualTo(SqlStates.INVALID_PARAMETER_VALUE).isEqualTo("22023");
        assertThat(new MergeLimitException("Sort", 10).getSQLState()).isEqualTo("54000");
        assertThat(new TreeSet<>(byValue.keySet())).contains("0A000", "25006", "57014", "07000", "HY010", "SK001");
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalStateException(file.toString(), e);
        }
    }
}
