package io.shardkit.route;

import io.shardkit.RefusedException;
import io.shardkit.sql.Dialect;
import io.shardkit.sql.SplitTemplate;
import io.shardkit.sql.SplitTemplates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The data nodes of a routed statement that names split tables: for each part of its
 * {@link RouteDecision}, the physical tables each split table stands for there. Renders any SQL
 * text of the statement (its own, a merged read's shard query) for a part, through the data
 * source's {@link SplitTemplates} (parsed once per text; renders cached per node).
 */
public final class SplitParts {
    private final SplitTemplates templates;
    private final Dialect[] dialects;
    private final List<Map<String, List<String>>> physical;

    SplitParts(SplitTemplates templates, Dialect[] dialects, List<Map<String, List<String>>> physical) {
        this.templates = templates;
        this.dialects = dialects;
        this.physical = physical;
    }

    /** The physical tables of {@code table} in part {@code part} (empty if the part does not name it). */
    public List<String> physical(int part, String table) {
        List<String> p = physical.get(part).get(table);
        return p == null ? List.of() : p;
    }

    /** {@code sql} with the split tables it names replaced by part {@code part}'s physical tables. */
    public String render(String sql, int part) throws RefusedException {
        SplitTemplate t = templates.get(sql, dialects[part]);
        if (t.refusal() != null) {
            throw new RefusedException(t.refusal(), sql);
        }
        List<String> tables = t.tables();
        if (tables.isEmpty()) {
            return sql;
        }
        Map<String, List<String>> byTable = physical.get(part);
        List<List<String>> args = new ArrayList<>(tables.size());
        StringBuilder key = new StringBuilder();
        for (String table : tables) {
            List<String> p = byTable.get(table);
            if (p == null || p.isEmpty()) {
                throw new RefusedException("a statement whose texts name split table " + table + " where its route did"
                        + " not place it", sql);
            }
            args.add(p);
            key.append(String.join(",", p)).append(';');
        }
        return t.render(key.toString(), args);
    }
}
