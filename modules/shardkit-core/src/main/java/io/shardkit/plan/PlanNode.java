package io.shardkit.plan;

import java.util.List;

/**
 * One node of a statement's plan tree. Nodes are immutable and describe themselves, so
 * {@code explain} is the tree printed.
 */
public sealed interface PlanNode permits Route, Scatter, Concat {

    /** One line about this node alone. */
    String describe();

    List<PlanNode> children();

    /** The tree from this node down, indented two spaces a level. */
    default String render() {
        StringBuilder sb = new StringBuilder();
        render(sb, 0);
        return sb.toString();
    }

    private void render(StringBuilder sb, int depth) {
        if (sb.length() > 0) {
            sb.append('\n');
        }
        sb.append("  ".repeat(depth)).append(describe());
        for (PlanNode child : children()) {
            child.render(sb, depth + 1);
        }
    }
}
