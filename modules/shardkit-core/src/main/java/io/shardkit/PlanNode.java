package io.shardkit;

import java.util.List;

/**
 * One node of a statement's plan tree. Nodes are immutable and describe themselves, so
 * {@code explain} is the tree printed. Nodes that produce rows are {@link RowSource}s.
 */
public interface PlanNode {

    /** One line about this node alone. */
    String describe();

    List<PlanNode> children();

    /** The tree from this node down, indented two spaces a level. */
    default String render() {
        StringBuilder sb = new StringBuilder();
        render(this, sb, 0);
        return sb.toString();
    }

    private static void render(PlanNode node, StringBuilder sb, int depth) {
        if (sb.length() > 0) {
            sb.append('\n');
        }
        sb.append("  ".repeat(depth)).append(node.describe());
        for (PlanNode child : node.children()) {
            render(child, sb, depth + 1);
        }
    }
}
