package io.shardkit.sql;

import io.shardkit.config.Archive;
import java.util.List;

/**
 * What routing needs to know about a statement on a tiered table (hot shards plus read-only
 * archive shards), worked out once per SQL text.
 *
 * @param table the tiered table
 * @param bounds predicates on the cutoff column (top-level AND), which may prove a tier unreachable
 * @param forUpdate a {@code SELECT ... FOR UPDATE}, which is a write as far as the archive is concerned
 * @param joined the statement also reads another sharded table, which has no archive of its own
 * @param probeSql for UPDATE/DELETE: {@code SELECT 1 FROM table WHERE <the same condition>}, run on
 *     the archive shards first; a row there means the write would have to change the archive. For an
 *     INSERT that gives the row id: {@code SELECT id FROM table WHERE id IN (<the rows' ids>)}; a row there
 *     means the new hot row would shadow an archived one. {@code null}: nothing to check
 * @param probeParameters the statement parameters the probe takes, in order
 * @param upsert an INSERT that reacts to an existing row (ON CONFLICT, ON DUPLICATE KEY UPDATE, REPLACE,
 *     IGNORE): an archived id means it would change or keep the archived row
 */
public record Tiering(String table, Archive archive, List<CutoffBound> bounds, boolean forUpdate, boolean joined,
        String probeSql, int[] probeParameters, boolean upsert) {

    /** A predicate {@code column op value} on the cutoff column; {@code op} is one of = > >= < <=. */
    public record CutoffBound(String op, ValueRef value) {
    }

    public Tiering {
        bounds = List.copyOf(bounds);
    }
}
