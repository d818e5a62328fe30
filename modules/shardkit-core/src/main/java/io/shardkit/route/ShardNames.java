package io.shardkit.route;

import io.shardkit.ShardException;
import io.shardkit.pool.ShardRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the shard names that choosers and the map give into registry indexes, for the router. An
 * unknown name is a routing error (SQLState {@link ShardException#ROUTING}) naming who gave it and
 * the shards there are.
 */
final class ShardNames {
    private final ShardRegistry registry;

    ShardNames(ShardRegistry registry) {
        this.registry = registry;
    }

    int index(String shard, String who) throws ShardException {
        int i = registry.indexOf(shard);
        if (i < 0) {
            throw unknownShard(shard, who);
        }
        return i;
    }

    /**
     * {@link #index(String, String)} for a table's chooser: "{@code chooser} of {@code table}" is
     * only put into words when the shard is unknown, so routing a key allocates nothing.
     */
    int index(String shard, String chooser, String table) throws ShardException {
        int i = registry.indexOf(shard);
        if (i < 0) {
            throw unknownShard(shard, chooser + " of " + table);
        }
        return i;
    }

    private ShardException unknownShard(String shard, String who) {
        return new ShardException(who + " returned unknown shard '" + shard + "' (known: "
                + String.join(", ", names()) + ")", ShardException.ROUTING);
    }

    int[] indexes(List<String> shards, String who) throws ShardException {
        int[] out = new int[shards.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = index(shards.get(i), who);
        }
        return out;
    }

    int[] indexes(List<String> shards, String chooser, String table) throws ShardException {
        int[] out = new int[shards.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = index(shards.get(i), chooser, table);
        }
        return out;
    }

    List<String> names() {
        List<String> n = new ArrayList<>();
        for (int i = 0; i < registry.size(); i++) {
            n.add(registry.name(i));
        }
        return n;
    }

    int[] indexesOf(List<String> shards) {
        int[] out = new int[shards.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = registry.indexOf(shards.get(i));
        }
        return out;
    }
}
