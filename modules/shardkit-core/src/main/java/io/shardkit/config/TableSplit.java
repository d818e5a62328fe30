package io.shardkit.config;

import io.shardkit.strategy.SplitRule;

/** STUB (replaced by the split-config branch). */
public record TableSplit(String column, SplitRule rule, String pattern, Create create, int ahead, String template) {
    public enum Create { NEVER, AHEAD, ON_FIRST_WRITE }

    public String physical(String suffix) {
        return pattern.replaceAll("\\{[^}]*\\}", suffix);
    }

    public String suffixOf(String physicalName) {
        return null;
    }

    public String describe() {
        return pattern + " by " + column + ": " + rule.describe();
    }
}
