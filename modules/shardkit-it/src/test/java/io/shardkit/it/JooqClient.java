package io.shardkit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.rowNumber;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** jOOQ 3.19 (open source) with its DSL, transactions (nested = savepoints) and multi-row insert returning keys. */
final class JooqClient {
    static final Table<Record> PLAYERS = table(name("jq_players"));
    static final Table<Record> MATCHES = table(name("jq_matches"));
    static final Field<Long> PLAYER_ID = field(name("player_id"), Long.class);
    static final Field<String> NAME = field(name("name"), String.class);
    static final Field<Integer> SCORE = field(name("score"), Integer.class);
    static final Field<Long> MATCH_ID = field(name("match_id"), Long.class);
    static final Field<Integer> POINTS = field(name("points"), Integer.class);
    static final Field<Long> M_PLAYER = field(name("jq_matches", "player_id"), Long.class);
    static final Field<Long> P_PLAYER = field(name("jq_players", "player_id"), Long.class);

    private JooqClient() {
    }

    static SQLDialect dialect(Matrix m) {
        return switch (m.db) {
            case "sqlite" -> SQLDialect.SQLITE;
            case "postgresql" -> SQLDialect.POSTGRES;
            default -> SQLDialect.MARIADB;
        };
    }

    static DSLContext context(DataSource ds, Matrix m) {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        return DSL.using(ds, dialect(m), new Settings().withExecuteLogging(false));
    }

    static Map<String, Object> run(DataSource ds, Matrix m, boolean sharded) {
        Map<String, Object> out = new LinkedHashMap<>();
        DSLContext ctx = context(ds, m);

        // schema
        ctx.dropTableIfExists(MATCHES).execute();
        ctx.dropTableIfExists(PLAYERS).execute();
        ctx.createTable(PLAYERS).column(PLAYER_ID, SQLDataType.BIGINT.notNull()).column(NAME, SQLDataType.VARCHAR(40))
                .column(SCORE, SQLDataType.INTEGER).primaryKey(PLAYER_ID).execute();
        ctx.execute("CREATE TABLE jq_matches (" + m.identity("match_id") + ", player_id BIGINT NOT NULL, points INT)");

        // CRUD by key
        for (long id = 1; id <= 12; id++) {
            ctx.insertInto(PLAYERS, PLAYER_ID, NAME, SCORE).values(id, "p" + id, Matrix.score(id)).execute();
        }
        out.put("read", ctx.select(NAME, SCORE).from(PLAYERS).where(PLAYER_ID.eq(5L)).fetchOne().formatCSV(false));
        out.put("update", ctx.update(PLAYERS).set(SCORE, SCORE.plus(1)).where(PLAYER_ID.eq(5L)).execute());
        out.put("delete", ctx.deleteFrom(PLAYERS).where(PLAYER_ID.eq(12L)).execute());
        out.put("afterCrud", ctx.select(PLAYER_ID, SCORE).from(PLAYERS).where(PLAYER_ID.in(5L, 12L))
                .orderBy(PLAYER_ID).fetch().formatCSV(false));

        // per-player transaction with a nested transaction (a savepoint) as its first work
        ctx.transaction(cfg -> {
            DSLContext tx = DSL.using(cfg);
            try {
                tx.transaction(inner -> {
                    DSL.using(inner).update(PLAYERS).set(SCORE, 200).where(PLAYER_ID.eq(3L)).execute();
                    throw new IllegalStateException("undo the nested part");
                });
            } catch (IllegalStateException expected) {
                // rolled back to the savepoint
            }
            tx.update(PLAYERS).set(SCORE, 100).where(PLAYER_ID.eq(3L)).execute();
            tx.transaction(inner -> DSL.using(inner).update(PLAYERS).set(NAME, "p3b").where(PLAYER_ID.eq(3L)).execute());
        });
        out.put("tx", ctx.select(NAME, SCORE).from(PLAYERS).where(PLAYER_ID.eq(3L)).fetchOne().formatCSV(false));

        // batch insert with generated keys: one multi-row INSERT ... returning the keys (split by shard)
        var insert = ctx.insertInto(MATCHES, PLAYER_ID, POINTS);
        for (long id = 1; id <= 11; id++) {
            insert = insert.values(id, (int) (id * 3)).values(id, (int) (id * 3 + 1));
        }
        List<Long> keys = new ArrayList<>();
        if (!m.db.equals("postgresql")) {
            // MySQL Connector/J (the driver here) rejects executeQuery for the INSERT ... RETURNING that
            // SQLDialect.MARIADB renders, on one database as well.
            // jOOQ emulates RETURNING on SQLite with "... WHERE _rowid_ = last_insert_rowid()" (one row, even on
            // one database): shardkit refuses it; the recipe is one row at a time and ctx.lastID()
            var multi = insert;
            if (sharded && m.db.equals("sqlite")) {
                assertThatThrownBy(() -> multi.returningResult(MATCH_ID).fetch())
                        .satisfies(e -> Matrix.assertRefused(e, "last_insert_rowid() in a statement that names tables"));
                ctx.deleteFrom(MATCHES).execute(); // the INSERT itself ran before jOOQ's select was refused
            }
            // lastID() must run on the connection that inserted: one connection for the loop
            ctx.connection(c -> {
                DSLContext one = DSL.using(c, dialect(m), ctx.settings());
                for (long id = 1; id <= 11; id++) {
                    for (int j = 0; j < 2; j++) {
                        one.insertInto(MATCHES, PLAYER_ID, POINTS).values(id, (int) (id * 3 + j)).execute();
                        keys.add(one.lastID().longValue());
                    }
                }
            });
            if (sharded) { // on a fresh connection nothing was written yet: refused, never another connection's id
                assertThatThrownBy(ctx::lastID).satisfies(e -> Matrix.assertRefused(e, "has written nothing yet"));
            }
        } else {
            // PostgreSQL: the multi-row INSERT ... RETURNING, split over the four shards, answers the keys
            // in VALUES order as one database does (see ClientMatrix.i12_m01_splitInsertReturning)
            for (var r : insert.returningResult(MATCH_ID).fetch()) {
                keys.add(r.value1());
            }
        }
        assertThat(keys).hasSize(22);
        for (int i = 0; i < keys.size(); i++) {
            long player = 1 + i / 2;
            Integer points = ctx.select(POINTS).from(MATCHES)
                    .where(PLAYER_ID.eq(player).and(MATCH_ID.eq(keys.get(i)))).fetchOne(POINTS);
            assertThat(points).as("row of key %s (entry %s)", keys.get(i), i).isEqualTo((int) (player * 3 + i % 2));
        }
        out.put("batchRows", ctx.fetchCount(MATCHES));

        // cross-shard paged list with ORDER BY, and a count
        out.put("page", ctx.select(PLAYER_ID, NAME, SCORE).from(PLAYERS).orderBy(SCORE.desc(), PLAYER_ID)
                .limit(4).offset(3).fetch().formatCSV(false));
        out.put("count", ctx.selectCount().from(PLAYERS).fetchOne(0, Long.class));

        // aggregate report
        out.put("report", ctx.select(PLAYER_ID, count().as("n"), sum(POINTS).as("total"), max(POINTS).as("best"))
                .from(MATCHES).groupBy(PLAYER_ID).having(count().gt(1)).orderBy(sum(POINTS).desc(), PLAYER_ID)
                .fetch().formatCSV(false));

        // co-located join
        out.put("join1", ctx.select(NAME, POINTS).from(PLAYERS).join(MATCHES).on(M_PLAYER.eq(P_PLAYER))
                .where(P_PLAYER.eq(4L)).orderBy(POINTS).fetch().formatCSV(false));
        out.put("joinAll", ctx.select(NAME, count().as("n")).from(PLAYERS).join(MATCHES).on(M_PLAYER.eq(P_PLAYER))
                .groupBy(NAME).orderBy(NAME).limit(5).fetch().formatCSV(false));

        // refused: a window function over a sharded table
        if (sharded) {
            assertThatThrownBy(() -> ctx.select(PLAYER_ID, rowNumber().over().orderBy(SCORE)).from(PLAYERS).fetch())
                    .satisfies(e -> Matrix.assertRefused(e, "window"));
        }
        return out;
    }

    /** The known gap: subqueries pinned by the key (fetchExists, fetchCount(select)). */
    static List<Object> pinnedSubqueries(DataSource ds, Matrix m) {
        DSLContext ctx = context(ds, m);
        boolean exists = ctx.fetchExists(ctx.selectFrom(PLAYERS).where(PLAYER_ID.eq(4L)));
        int counted = ctx.fetchCount(ctx.select(PLAYER_ID).from(PLAYERS).where(PLAYER_ID.eq(4L)));
        return List.of(exists, counted);
    }
}
