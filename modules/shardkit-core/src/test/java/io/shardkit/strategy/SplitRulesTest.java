package io.shardkit.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shardkit.ShardException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 14 split rules: where values land inside a shard, their edges, refusals and period ranges. */
class SplitRulesTest {
    private static final String T = "matches";
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    /** The message of the KeyTypeException (SQLState ROUTING) the rule raises for the value. */
    private static String unmappable(SplitRule rule, Object value) {
        KeyTypeException e = catchThrowableOfType(KeyTypeException.class, () -> rule.suffix(T, value));
        assertThat((Throwable) e).as("value " + value + " refused").isNotNull();
        assertThat(e.getSQLState()).isEqualTo(ShardException.ROUTING);
        return e.getMessage();
    }

    @Test
    void i14_01_modSuffixesAndEdges() throws Exception {
        SplitRule mod = SplitRules.mod(16, 2);
        assertThat(mod.suffixes()).hasSize(16).startsWith("00", "01").endsWith("15");
        assertThat(mod.suffix(T, 1042L)).isEqualTo("02");
        assertThat(mod.suffix(T, 1042)).isEqualTo("02");
        assertThat(mod.suffix(T, "1042")).isEqualTo("02");
        assertThat(mod.suffix(T, new BigDecimal("1042.000"))).isEqualTo("02");
        assertThat(mod.suffix(T, -1L)).as("floorMod: -1 mod 16 = 15").isEqualTo("15");
        assertThat(mod.suffix(T, -17L)).isEqualTo("15");
        assertThat(mod.suffix(T, Long.MIN_VALUE)).as("Long.MIN_VALUE is a multiple of 16").isEqualTo("00");
        assertThat(mod.suffix(T, Long.MAX_VALUE)).isEqualTo("15");
        assertThat(SplitRules.mod(3, 0).suffix(T, Long.MIN_VALUE))
                .isEqualTo(String.valueOf(Math.floorMod(Long.MIN_VALUE, 3L)));
        assertThat(mod.reason(1042)).isEqualTo("1042 mod 16 = 02");
        assertThat(mod.describe()).isEqualTo("mod 16");
        assertThat(SplitRules.mod(16, 0).suffixes()).startsWith("0", "1").endsWith("15");
        assertThat(SplitRules.mod(16, 3).suffix(T, 7)).isEqualTo("007");
        assertThat(mod.suffixesBetween(1, true, 5, true)).isNull();
        assertThat(mod.produces("07")).isTrue();
        assertThat(mod.produces("7")).isFalse();
        assertThat(mod.produces("16")).isFalse();

        assertThat(unmappable(mod, 5.5)).isEqualTo("split mod 16 of table matches needs an integer value, got '5.5' (Double)");
        assertThat(unmappable(mod, new BigInteger("99999999999999999999"))).contains("(BigInteger)");
        assertThat(unmappable(mod, "abc")).contains("'abc' (String)");
        assertThatThrownBy(() -> SplitRules.mod(0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("split count must be at least 1, got 0");
    }

    @Test
    void i14_02_hashUsesTheHashStrategyFunction() throws Exception {
        SplitRule hash = SplitRules.hash(8, 0);
        for (Object key : List.<Object>of("abc", 42L, "42", 7, "ünïcode")) {
            long expected = Long.remainderUnsigned(HashStrategy.hash(key), 8);
            assertThat(hash.suffix(T, key)).isEqualTo(String.valueOf(expected));
        }
        assertThat(hash.suffix(T, 42)).as("42 and '42' together").isEqualTo(hash.suffix(T, "42"));
        assertThat(hash.describe()).isEqualTo("hash (fnv1a64) mod 8");
        assertThat(hash.reason("abc")).startsWith("fnv1a64('abc') mod 8 = ");
    }

    @Test
    void i14_03_rangeSuffixIsTheRangeIndex() throws Exception {
        SplitRule range = SplitRules.range(List.of(100L, 200L), 1);
        assertThat(range.suffixes()).containsExactly("0", "1", "2");
        assertThat(range.suffix(T, -5)).isEqualTo("0");
        assertThat(range.suffix(T, 99)).isEqualTo("0");
        assertThat(range.suffix(T, 100)).isEqualTo("1");
        assertThat(range.suffix(T, 199L)).isEqualTo("1");
        assertThat(range.suffix(T, Long.MAX_VALUE)).isEqualTo("2");
        assertThat(unmappable(range, "x")).contains("needs an integer value");
        SplitRule text = SplitRules.range(List.of("m"), 0);
        assertThat(text.suffix(T, "apple")).isEqualTo("0");
        assertThat(text.suffix(T, "zebra")).isEqualTo("1");
    }

    @Test
    void i14_04_listMapsValuesToNames() throws Exception {
        Map<String, List<String>> values = new LinkedHashMap<>();
        values.put("EU", List.of("de", "fr"));
        values.put("us", List.of("us", "7"));
        SplitRule list = SplitRules.list(values);
        assertThat(list.suffixes()).containsExactly("eu", "us");
        assertThat(list.suffix(T, "fr")).isEqualTo("eu");
        assertThat(list.suffix(T, 7)).as("matched by canonical text").isEqualTo("us");
        assertThat(unmappable(list, "jp")).isEqualTo("split list {EU=[de, fr], us=[us, 7]} of table matches"
                + " has no table for value 'jp' (String)");
        assertThatThrownBy(() -> SplitRules.list(Map.of("a", List.of("x"), "b", List.of("x"))))
                .hasMessageContaining("is listed under both");
    }

    @Test
    void i14_05_md5MatchesAnIndependentDigest() throws Exception {
        SplitRule md5 = SplitRules.md5(2);
        assertThat(md5.suffixes()).hasSize(256).startsWith("00", "01").endsWith("fe", "ff");
        assertThat(md5.suffixes().get(0xa3)).isEqualTo("a3");
        for (String s : List.of("abc", "", "Album 7", "ünïcode", "42")) {
            assertThat(md5.suffix(T, s)).as(s).isEqualTo(md5Hex(s).substring(0, 2));
        }
        assertThat(md5.suffix(T, "abc")).isEqualTo("90");
        assertThat(md5.suffix(T, 42L)).as("integers by their decimal text").isEqualTo(md5Hex("42").substring(0, 2));
        assertThat(md5.suffix(T, new BigDecimal("42.00"))).isEqualTo(md5Hex("42").substring(0, 2));
        assertThat(md5.suffix(T, 1.50)).isEqualTo(md5Hex("1.5").substring(0, 2));
        assertThat(SplitRules.md5(8).suffix(T, "abc")).isEqualTo(md5Hex("abc").substring(0, 8));
        assertThat(SplitRules.md5(8).suffixes()).as("too many to list").isNull();
        assertThat(SplitRules.md5(1).suffixes()).hasSize(16);
        assertThat(md5.reason("abc")).isEqualTo("md5('abc') = 90");
        assertThat(md5.describe()).isEqualTo("md5 2 hex chars");
        assertThat(md5.produces("a3")).isTrue();
        assertThat(md5.produces("A3")).isFalse();
        assertThat(md5.produces("g3")).isFalse();
        assertThat(md5.produces("a")).isFalse();
        assertThat(md5.suffixes().contains("ff")).isTrue();
        assertThatThrownBy(() -> SplitRules.md5(9)).hasMessage("md5 chars must be 1 to 8, got 9");
        assertThatThrownBy(() -> SplitRules.md5(0)).hasMessage("md5 chars must be 1 to 8, got 0");
    }

    private static String md5Hex(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void i14_06_isoWeeksAcrossTheYearBoundary() throws Exception {
        SplitRule week = SplitRules.calendar("week", ZoneOffset.UTC, "yyyy'w'ww");
        assertThat(week.suffix(T, LocalDate.of(2026, 12, 27))).as("Sunday").isEqualTo("2026w52");
        assertThat(week.suffix(T, LocalDate.of(2026, 12, 28))).as("Monday of week 53").isEqualTo("2026w53");
        assertThat(week.suffix(T, LocalDate.of(2027, 1, 1))).as("Friday, still ISO 2026").isEqualTo("2026w53");
        assertThat(week.suffix(T, LocalDate.of(2027, 1, 3))).isEqualTo("2026w53");
        assertThat(week.suffix(T, LocalDate.of(2027, 1, 4))).isEqualTo("2027w01");
        assertThat(week.suffix(T, LocalDate.of(2024, 12, 30))).as("ISO 2025 starts in 2024").isEqualTo("2025w01");
        assertThat(SplitRules.calendar("week", ZoneOffset.UTC, "yyyy_ww").suffix(T, "2027-01-04")).isEqualTo("2027_01");
        assertThat(SplitRules.calendar("week", ZoneOffset.UTC, "yyyyww").suffix(T, "2027-01-04")).isEqualTo("202701");
        assertThat(week.produces("2026w53")).isTrue();
        assertThat(week.produces("2027w53")).as("2027 has 52 ISO weeks").isFalse();
        assertThat(week.produces("2026w00")).isFalse();
        assertThat(week.suffixesBetween("2026-12-20", true, "2027-01-05", false))
                .containsExactly("2026w51", "2026w52", "2026w53", "2027w01");
        assertThat(week.reason("2026-12-28")).isEqualTo("2026-12-28 in week 2026w53");
    }

    @Test
    void i14_07_valueTypesAndZones() throws Exception {
        SplitRule utc = SplitRules.calendar("month", ZoneOffset.UTC, "yyyyMM");
        SplitRule tokyo = SplitRules.calendar("day", TOKYO, "yyyyMMdd");
        Instant lateUtc = Instant.parse("2026-11-30T20:00:00Z"); // 2026-12-01 05:00 in Tokyo
        assertThat(utc.suffix(T, lateUtc)).isEqualTo("202611");
        assertThat(tokyo.suffix(T, lateUtc)).isEqualTo("20261201");
        assertThat(tokyo.suffix(T, java.util.Date.from(lateUtc))).isEqualTo("20261201");
        assertThat(tokyo.suffix(T, OffsetDateTime.parse("2026-11-30T20:00:00Z"))).isEqualTo("20261201");
        assertThat(tokyo.suffix(T, ZonedDateTime.parse("2026-11-30T12:00:00-08:00[America/Los_Angeles]")))
                .isEqualTo("20261201");
        assertThat(tokyo.suffix(T, "2026-11-30T20:00:00Z")).isEqualTo("20261201");
        assertThat(tokyo.suffix(T, "2026-11-30T20:00:00+00:00")).isEqualTo("20261201");
        assertThat(tokyo.suffix(T, "2026-12-01T00:30:00+09:00")).isEqualTo("20261201");
        assertThat(utc.suffix(T, "2026-12-01T00:30:00+09:00")).as("converted to UTC: 15:30 on Nov 30").isEqualTo("202611");
        // wall-clock values are taken in the rule's zone, unconverted
        assertThat(tokyo.suffix(T, LocalDateTime.of(2026, 11, 30, 23, 59, 59))).isEqualTo("20261130");
        assertThat(tokyo.suffix(T, "2026-11-30 23:59:59.999")).isEqualTo("20261130");
        assertThat(tokyo.suffix(T, "2026-11-30T23:59:59")).isEqualTo("20261130");
        assertThat(tokyo.suffix(T, Timestamp.valueOf("2026-11-30 23:59:59"))).isEqualTo("20261130");
        assertThat(tokyo.suffix(T, java.sql.Date.valueOf("2026-11-30"))).isEqualTo("20261130");
        assertThat(tokyo.suffix(T, "2026-11-30")).isEqualTo("20261130");
        assertThat(utc.suffix(T, LocalDate.of(2026, 11, 3))).isEqualTo("202611");
        assertThat(utc.reason("2026-11-03")).isEqualTo("2026-11-03 in month 202611");
        assertThat(utc.describe()).isEqualTo("month (UTC)");
        assertThat(tokyo.describe()).isEqualTo("day (Asia/Tokyo)");
        assertThat(utc.suffixes()).isNull();

        for (Object bad : List.<Object>of("2026-11", "2026/11/03", "2026-13-01", "2026-02-30", "yesterday", 20261103L,
                java.sql.Time.valueOf("10:00:00"), "2026-11-03 10:00")) {
            assertThat(unmappable(utc, bad)).startsWith("split month (UTC) of table matches needs a date or"
                    + " timestamp value, got '" + bad + "' (");
        }
    }

    @Test
    void i14_08_dstAndLeapDay() throws Exception {
        ZoneId ny = ZoneId.of("America/New_York");
        SplitRule day = SplitRules.calendar("day", ny, "yyyy_MM_dd");
        // 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST
        assertThat(day.suffix(T, Instant.parse("2026-03-09T03:59:59Z"))).as("23:59:59 EDT").isEqualTo("2026_03_08");
        assertThat(day.suffix(T, Instant.parse("2026-03-09T04:00:00Z"))).as("00:00 EDT").isEqualTo("2026_03_09");
        assertThat(day.suffix(T, Instant.parse("2026-11-02T04:59:59Z"))).as("23:59:59 EST").isEqualTo("2026_11_01");
        assertThat(day.suffix(T, Instant.parse("2026-11-02T05:00:00Z"))).isEqualTo("2026_11_02");
        assertThat(day.suffix(T, "2026-03-08 02:30:00")).as("a wall-clock time in the DST gap keeps its date")
                .isEqualTo("2026_03_08");
        SplitRule utcDay = SplitRules.calendar("day", ZoneOffset.UTC, "yyyyMMdd");
        assertThat(utcDay.suffix(T, "2028-02-29")).isEqualTo("20280229");
        assertThat(utcDay.produces("20280229")).isTrue();
        assertThat(utcDay.produces("20270229")).isFalse();
        assertThat(utcDay.produces("20261301")).isFalse();
        assertThat(unmappable(utcDay, "2027-02-29")).contains("needs a date or timestamp");
        assertThat(utcDay.suffixesBetween("2028-02-28", true, "2028-03-01", true))
                .containsExactly("20280228", "20280229", "20280301");
        SplitRule year = SplitRules.calendar("year", ZoneOffset.UTC, "yyyy");
        assertThat(year.suffix(T, "2028-02-29 12:00:00")).isEqualTo("2028");
        assertThat(year.produces("2028")).isTrue();
        assertThat(year.produces("0000")).isFalse();
    }

    @Test
    void i14_09_suffixesBetween() {
        SplitRule month = SplitRules.calendar("month", ZoneOffset.UTC, "yyyyMM");
        assertThat(month.suffixesBetween("2026-10-01", true, "2026-12-01", false)).as("half-open: two months")
                .containsExactly("202610", "202611");
        assertThat(month.suffixesBetween("2026-10-01", true, "2026-12-01", true)).as("inclusive: Dec 1 counts")
                .containsExactly("202610", "202611", "202612");
        assertThat(month.suffixesBetween("2026-10-01", true, "2026-12-01 00:00:00.000001", false))
                .containsExactly("202610", "202611", "202612");
        assertThat(month.suffixesBetween("2026-10-15", false, "2026-10-20", false)).containsExactly("202610");
        assertThat(month.suffixesBetween("2026-10-15", true, "2026-10-15", true)).containsExactly("202610");
        assertThat(month.suffixesBetween("2026-10-15", true, "2026-10-15", false)).isEmpty();
        assertThat(month.suffixesBetween("2026-12-01", true, "2026-10-01", true)).as("empty range").isEmpty();
        assertThat(month.suffixesBetween("2026-12-01", true, "2026-12-01", false)).isEmpty();
        assertThat(month.suffixesBetween(null, true, "2026-12-01", false)).as("unbounded").isNull();
        assertThat(month.suffixesBetween("2026-12-01", true, null, false)).isNull();
        assertThat(month.suffixesBetween("not a date", true, "2026-12-01", false)).isNull();
        assertThat(month.suffixesBetween("1000-01-01", true, "2026-12-01", false)).as("over 10,000 months").isNull();
        SplitRule day = SplitRules.calendar("day", ZoneOffset.UTC, "yyyyMMdd");
        assertThat(day.suffixesBetween("2000-01-01", true, "2027-05-18", true)).as("exactly 10,000 days").hasSize(10_000);
        assertThat(day.suffixesBetween("2000-01-01", true, "2027-05-19", true)).as("10,001 days").isNull();
        SplitRule tokyo = SplitRules.calendar("month", TOKYO, "yyyyMM");
        assertThat(tokyo.suffixesBetween(Instant.parse("2026-10-31T15:00:00Z"), true,
                Instant.parse("2026-11-30T15:00:00Z"), false)).as("Tokyo Nov 1 00:00 to Dec 1 00:00").containsExactly("202611");
        assertThat(SplitRules.md5(2).suffixesBetween("a", true, "b", true)).isNull();
    }

    @Test
    void i14_10_equalityDecidesColocation() {
        assertThat(SplitRules.mod(16, 2)).isEqualTo(SplitRules.mod(16, 2)).hasSameHashCodeAs(SplitRules.mod(16, 2));
        assertThat(SplitRules.mod(16, 2)).isNotEqualTo(SplitRules.mod(16, 0)).isNotEqualTo(SplitRules.hash(16, 2))
                .isNotEqualTo(SplitRules.mod(8, 2));
        assertThat(SplitRules.md5(2)).isEqualTo(SplitRules.md5(2)).isNotEqualTo(SplitRules.md5(3));
        assertThat(SplitRules.calendar("month", ZoneOffset.UTC, "yyyyMM")).isEqualTo(SplitRules.calendar("month", ZoneId.of("UTC"), "yyyyMM"));
        assertThat(SplitRules.calendar("month", TOKYO, "yyyyMM")).isEqualTo(SplitRules.calendar("month", TOKYO, "yyyyMM"))
                .isNotEqualTo(SplitRules.calendar("month", ZoneOffset.UTC, "yyyyMM"));
        assertThatThrownBy(() -> SplitRules.calendar("month", ZoneOffset.UTC, "yyyyMMdd"))
                .hasMessage("a month split names its tables with {yyyyMM}, {yyyy_MM}, not {yyyyMMdd}");
    }

    @Test
    void i14_11_singleStrategyTakesAnyKey() throws Exception {
        Strategy one = Strategies.single("s0");
        for (Object key : List.<Object>of(1L, "abc", 5.5, LocalDate.of(2026, 1, 1))) {
            assertThat(one.chooseShard(T, key).shard()).isEqualTo("s0");
            assertThat(one.candidates(T, key).shards()).containsExactly("s0");
        }
        assertThat(one.shards()).containsExactly("s0");
        assertThat(one.describe()).isEqualTo("all rows on s0");
        assertThat(one).isEqualTo(Strategies.single("s0")).isNotEqualTo(Strategies.single("s1"));
    }
}
