package io.shardkit.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.RefusedException;
import io.shardkit.sql.Dialect;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** How each dialect's merge compares values, column by column (issue 10 cases 5 to 10, 14, 15). */
class ValuesTest {

    /** Shard result metadata reporting the given type names (and JDBC types) for columns 1..n. */
    static ResultSetMetaData meta(String[] names, int[] types) {
        return (ResultSetMetaData) Proxy.newProxyInstance(ValuesTest.class.getClassLoader(),
                new Class<?>[] {ResultSetMetaData.class}, (p, m, a) -> switch (m.getName()) {
                    case "getColumnCount" -> names.length;
                    case "getColumnTypeName" -> names[(Integer) a[0] - 1];
                    case "getColumnType" -> types[(Integer) a[0] - 1];
                    case "getColumnLabel" -> "c" + a[0];
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    static void refused(ThrowingRunnable r, String message) {
        assertThatThrownBy(r::run).isInstanceOf(RefusedException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"))
                .hasMessageContaining(message);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Nested
    class Numbers {
        @Test
        void case09_negativeZeroEqualsZero() throws Exception {
            assertThat(Values.compareNumbers(-0.0, 0.0)).isZero();
            assertThat(Values.compareNumbers(-0.0f, 0L)).isZero();
            Values v = Values.of(Dialect.POSTGRESQL);
            assertThat(v.identity(-0.0)).isEqualTo(v.identity(0.0)).isEqualTo(v.identity(BigDecimal.ZERO));
        }

        @Test
        void case10_nanEqualsNanAboveInfinityAndApartFromMinusInfinity() throws Exception {
            assertThat(Values.compareNumbers(Double.NaN, Double.NaN)).isZero();
            assertThat(Values.compareNumbers(Double.NaN, Double.POSITIVE_INFINITY)).isPositive();
            assertThat(Values.compareNumbers(Double.POSITIVE_INFINITY, new BigDecimal("1e400"))).isPositive();
            assertThat(Values.compareNumbers(new BigDecimal("1e400"), Double.NaN)).isNegative();
            assertThat(Values.compareNumbers(Double.NEGATIVE_INFINITY, Long.MIN_VALUE)).isNegative();
            Values v = Values.of(Dialect.POSTGRESQL);
            assertThat(v.identity(Double.NaN)).isEqualTo(v.identity(Double.NaN))
                    .isNotEqualTo(v.identity(Double.NEGATIVE_INFINITY)).isNotEqualTo(v.identity(Double.POSITIVE_INFINITY));
        }

        @Test
        void integersAndDoublesCompareExactly() {
            double d = 1152921504606847232.0; // 2^60 + 256, whose shortest decimal form is below it
            assertThat(Values.compareNumbers(1152921504606847100L, d)).isNegative();
            assertThat(Values.compareNumbers(1152921504606847232L, d)).isZero();
            assertThat(Values.compareNumbers(1, 1.0)).isZero();
        }
    }

    @Test
    void case08_uuidsCompareAsUnsignedBytes() throws Exception {
        Values v = Values.of(Dialect.POSTGRESQL);
        UUID low = UUID.fromString("7fffffff-ffff-ffff-ffff-ffffffffffff");
        UUID high = UUID.fromString("80000000-0000-0000-0000-000000000000");
        assertThat(low.compareTo(high)).isPositive(); // what was used before
        assertThat(v.compare(low, high)).isNegative();
        assertThat(v.compare(UUID.fromString("00000000-0000-0000-8000-000000000000"),
                UUID.fromString("00000000-0000-0000-7fff-ffffffffffff"))).isPositive();
    }

    @Nested
    class Sqlite {
        private Values prepared(String... collations) throws SQLException {
            Values v = Values.of(Dialect.SQLITE);
            String[] names = new String[collations.length];
            int[] types = new int[collations.length];
            ArrayList<Comparisons.Entry> entries = new ArrayList<>();
            for (int i = 0; i < collations.length; i++) {
                names[i] = "TEXT";
                types[i] = Types.VARCHAR;
                if (collations[i] != null) {
                    entries.add(new Comparisons.Entry(i + 1, collations[i], true, 0));
                }
            }
            v.prepare(meta(names, types), new Comparisons(entries),
                    (table, column) -> table.equals("t") && column.equals("name") ? "NOCASE" : null);
            return v;
        }

        @Test
        void case05_nocaseFoldsOnlyAsciiLetters() throws Exception {
            Values v = prepared("NOCASE", "BINARY");
            assertThat(v.compare(1, "Alice", "alice")).isZero();
            assertThat(v.identity(1, "Alice")).isEqualTo(v.identity(1, "ALICE"));
            assertThat(v.compare(1, "_x", "Alice")).isNegative(); // '_' < 'a', though 'A' < '_'
            assertThat(v.compare(2, "_x", "Alice")).isPositive();
            assertThat(v.compare(1, "É", "é")).isNotZero();
            assertThat(v.identity(2, "Alice")).isNotEqualTo(v.identity(2, "alice"));
        }

        @Test
        void case05_rtrimIgnoresTrailingSpacesOnly() throws Exception {
            Values v = prepared("RTRIM");
            assertThat(v.compare(1, "x  ", "x")).isZero();
            assertThat(v.identity(1, "x ")).isEqualTo(v.identity(1, "x"));
            assertThat(v.compare(1, "x\t", "x")).isPositive();
        }

        @Test
        void case05_declaredCollationIsLookedUp() throws Exception {
            Values v = prepared(Comparisons.DECLARED + "t.name", Comparisons.DECLARED + "t.other");
            assertThat(v.compare(1, "BOB", "bob")).isZero();
            refused(() -> v.compare(2, "a", "b"), "collation of column other");
            assertThat(v.compare(2, 1L, 2.5)).isNegative(); // numbers need no collation
        }

        @Test
        void case05_unknownCollationsAndUnanalysedColumnsRefuseText() throws Exception {
            Values v = prepared("UNICODE", Comparisons.UNKNOWN + "a COLLATE inside x", null);
            refused(() -> v.compare(1, "a", "b"), "collation UNICODE");
            refused(() -> v.identity(2, "a"), "a COLLATE inside x");
            refused(() -> v.compare(3, "a", "b"), "did not analyse");
        }

        @Test
        void storageClassesOrderNumbersTextBlobs() throws Exception {
            Values v = prepared("BINARY");
            assertThat(v.compare(1, 10L, "1")).isNegative();
            assertThat(v.compare(1, "z", new byte[] {0})).isNegative();
            assertThat(v.compare(1, 2L, 1.5)).isPositive();
            assertThat(v.identity(1, 1L)).isEqualTo(v.identity(1, 1.0)).isNotEqualTo(v.identity(1, "1"));
        }
    }

    @Nested
    class Postgres {
        private Values prepared(boolean databaseC, String... types) throws SQLException {
            Values v = new Values(Dialect.POSTGRESQL, databaseC);
            int[] jdbc = new int[types.length];
            v.prepare(meta(types, jdbc), Comparisons.NONE, null);
            return v;
        }

        @Test
        void case07_enumsAndOtherTypesRefuseNamingTheType() throws Exception {
            Values v = prepared(true, "mood", "_int4", "interval");
            refused(() -> v.compare(1, "sad", "ok"), "PostgreSQL type mood");
            refused(() -> v.identity(2, "{1}"), "PostgreSQL type _int4");
            refused(() -> v.compare(3, "1 day", "2 days"), "PostgreSQL type interval");
        }

        @Test
        void case07_enumsAreOrderedByTheirLabelsPositions() throws Exception {
            Values v = new Values(Dialect.POSTGRESQL, true);
            v.prepare(meta(new String[] {"mood", "json"}, new int[2]), Comparisons.NONE, null,
                    type -> type.equals("mood") ? Map.of("sad", 0, "ok", 1, "happy", 2) : null);
            assertThat(v.compare(1, "sad", "happy")).isNegative(); // though "happy" < "sad" as text
            assertThat(v.compare(1, "ok", "ok")).isZero();
            assertThat(v.identity(1, "ok")).isEqualTo(v.identity(1, "ok")).isNotEqualTo(v.identity(1, "sad"));
            refused(() -> v.compare(1, "sad", "meh"), "type mood");
            refused(() -> v.identity(2, "{}"), "PostgreSQL type json");
        }

        @Test
        void case06_textIsOrderedOnlyUnderACodePointCollation() throws Exception {
            Values v = prepared(true, "text", "text", "text", "bpchar");
            refused(() -> v.compare(1, "a", "b"), "collation of c1 is not known");
            refused(() -> v.identity(1, "a"), "collation of c1 is not known");
            v.collation(1, "\"C\"", "c1", null);
            assertThat(v.compare(1, "B", "a")).isNegative();
            v.collation(2, "\"default\"", "c2", null);
            assertThat(v.compare(2, "B", "a")).isNegative();
            v.collation(3, "\"en-x-icu\"", "c3", name -> true);
            refused(() -> v.compare(3, "a", "b"), "\"en-x-icu\"");
            assertThat(v.identity(3, "a")).isNotEqualTo(v.identity(3, "A")); // deterministic: bytes tell apart
            v.collation(4, "\"C\"", "c4", null);
            assertThat(v.compare(4, "a  ", "a")).isZero(); // char(n) ignores trailing spaces
            assertThat(v.compare(4, "a ", "a\u0001")).isNegative();
        }

        @Test
        void case06_defaultCollationOfANonCDatabaseIsNotOrdered() throws Exception {
            Values v = prepared(false, "varchar");
            v.collation(1, "\"default\"", "c1", null);
            refused(() -> v.compare(1, "a", "b"), "default collation");
            v.collation(1, "\"POSIX\"", "c1", null);
            assertThat(v.compare(1, "a", "b")).isNegative();
        }

        @Test
        void case06_nondeterministicCollationsRefuseEquality() throws Exception {
            Values v = prepared(true, "text", "text");
            v.collation(1, "public.nd", "c1", name -> false);
            refused(() -> v.identity(1, "a"), "collation public.nd of c1");
            v.collation(2, "\"mine\"", "c2", name -> null);
            refused(() -> v.identity(2, "a"), "mine");
        }
    }

    @Nested
    class MySql {
        private Values prepared(int textType) throws SQLException {
            Values v = Values.of(Dialect.MYSQL);
            v.prepare(meta(new String[] {"VARCHAR", "VARBINARY"}, new int[] {textType, Types.VARBINARY}),
                    new Comparisons(List.of(new Comparisons.Entry(1, null, false, 2))), null);
            return v;
        }

        @Test
        void textIsComparedByItsWeightColumn() throws Exception {
            Values v = prepared(Types.VARCHAR);
            assertThat(v.keyColumn(1)).isEqualTo(2);
            assertThat(v.orderColumn(1)).isEqualTo(2);
            assertThat(v.compare(2, new byte[] {0x0e, 0x33}, new byte[] {(byte) 0x80})).isNegative();
            refused(() -> v.compare(1, "a", "b"), "MYSQL");
        }

        @Test
        void charColumnsMayBeEnumsSoAreNotOrderedByWeight() throws Exception {
            Values v = prepared(Types.CHAR);
            assertThat(v.keyColumn(1)).isEqualTo(2);
            assertThat(v.orderColumn(1)).isEqualTo(1);
            refused(() -> v.compare(1, "a", "b"), "ENUM");
        }

        @Test
        void valuesPadSpaceWeightsWouldMisplaceRefuse() throws Exception {
            Values.checkWeighable("Bob");
            Values.checkWeighable("a b");
            refused(() -> Values.checkWeighable("Bob "), "trailing");
            refused(() -> Values.checkWeighable("a\tb"), "U+0009");
            refused(() -> Values.checkWeighable("a\u00a0"), "U+00A0");
        }
    }

    @Test
    void case14_sqliteRemainderOfRealsCastsOperandsToIntegers() throws Exception {
        Arithmetic sqlite = new Arithmetic(Dialect.SQLITE);
        assertThat(sqlite.apply('%', 3.24, 2L)).isEqualTo(1.0);
        assertThat(sqlite.apply('%', -7.5, 2L)).isEqualTo(-1.0);
        assertThat(sqlite.apply('%', 5.5, 0.5)).isNull();
        assertThat(sqlite.apply('%', 7L, 3L)).isEqualTo(1L);
        assertThat(new Arithmetic(Dialect.MYSQL).apply('%', 3.25, 2L)).isEqualTo(1.25);
    }

    @Test
    void case15_roundOfDoublesPerDialect() {
        assertThat(Expr.Call.round(2.5, 0, Dialect.MYSQL)).isEqualTo(2.0);
        assertThat(Expr.Call.round(3.5, 0, Dialect.MYSQL)).isEqualTo(4.0);
        assertThat(Expr.Call.round(-2.5, 0, Dialect.MYSQL)).isEqualTo(-2.0);
        assertThat(Expr.Call.round(0.625, 2, Dialect.MYSQL)).isEqualTo(0.62);
        assertThat(Expr.Call.round(25.0, -1, Dialect.MYSQL)).isEqualTo(20.0);
        assertThat(Expr.Call.round(new BigDecimal("2.5"), 0, Dialect.MYSQL)).isEqualTo(new BigDecimal("3"));
        assertThat(Expr.Call.round(2.5, 0, Dialect.POSTGRESQL)).isEqualTo(2.0);
        assertThat(Expr.Call.round(new BigDecimal("-2.5"), 0, Dialect.POSTGRESQL)).isEqualTo(new BigDecimal("-3"));
        assertThat(Expr.Call.round(2.5, 0, Dialect.SQLITE)).isEqualTo(3.0);
    }
}
