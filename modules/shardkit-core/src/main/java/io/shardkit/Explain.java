package io.shardkit;

import java.util.List;

/**
 * What shardkit would do with a statement: the shards, the reasons the choosers gave, and the
 * plan tree. {@link #toString()} is the text the CLI prints.
 *
 * @param reasons one line per routing decision, e.g. {@code players.player_id = 1042: mod 4 = 2 → s2}
 */
public record Explain(String sql, List<String> shards, List<String> reasons, PlanNode plan) {

    public Explain {
        shards = List.copyOf(shards);
        reasons = List.copyOf(reasons);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("SQL:    ").append(ShardException.shorten(sql)).append('\n');
        sb.append("Shards: ").append(String.join(", ", shards)).append('\n');
        sb.append("Why:");
        if (reasons.isEmpty()) {
            sb.append(" (no choice to make)\n");
        } else {
            sb.append('\n');
            for (String r : reasons) {
                sb.append("  ").append(r).append('\n');
            }
        }
        sb.append("Plan:\n");
        for (String line : plan.render().split("\n")) {
            sb.append("  ").append(line).append('\n');
        }
        return sb.toString();
    }
}
