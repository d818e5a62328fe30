package io.shardkit.sql;

import io.shardkit.RefusedException;
import java.util.List;

/** STUB (replaced by the split-rewrite branch). */
public final class SplitTemplate {
    public List<String> tables() {
        return List.of();
    }

    public String refusal() {
        return null;
    }

    public String render(List<List<String>> physical) throws RefusedException {
        return null;
    }

    public String render(String key, List<List<String>> physical) throws RefusedException {
        return null;
    }

    public boolean writes() {
        return false;
    }
}
