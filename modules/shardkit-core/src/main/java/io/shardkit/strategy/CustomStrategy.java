package io.shardkit.strategy;

import io.shardkit.Candidates;
import io.shardkit.IdChooser;
import io.shardkit.QueryChooser;
import io.shardkit.ShardChoice;
import io.shardkit.ShardChooser;
import io.shardkit.ShardException;
import io.shardkit.Targets;
import io.shardkit.config.Secrets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Adapts a user object implementing one or more chooser interfaces. What it does not implement
 * is filled in: without an {@link IdChooser} a key's only candidate is the shard its
 * {@link ShardChooser} picks; without a {@link QueryChooser} a key-less statement runs on every
 * shard of the table; without a {@link ShardChooser} an INSERT fails with a clear error.
 */
public final class CustomStrategy implements Strategy {
    private final Object chooser;
    private final Map<String, ?> props;
    private final List<String> shards;
    private final ShardChooser shardChooser;
    private final IdChooser idChooser;
    private final QueryChooser queryChooser;
    private final Targets all;

    /**
     * @param chooser implements at least one of ShardChooser, IdChooser, QueryChooser
     * @param shards the shards the table lives on
     * @param props the {@code props} it was made with, for equality and explain
     */
    public CustomStrategy(Object chooser, List<String> shards, Map<String, ?> props) {
        this.chooser = Objects.requireNonNull(chooser, "chooser");
        this.shards = List.copyOf(shards);
        this.props = Map.copyOf(props);
        this.shardChooser = chooser instanceof ShardChooser s ? s : null;
        this.idChooser = chooser instanceof IdChooser i ? i : null;
        this.queryChooser = chooser instanceof QueryChooser q ? q : null;
        if (shardChooser == null && idChooser == null && queryChooser == null) {
            throw new IllegalArgumentException(chooser.getClass().getName()
                    + " implements none of ShardChooser, IdChooser, QueryChooser");
        }
        this.all = Targets.all("no shard key predicate → all " + this.shards.size() + " shards");
    }

    /** The user object. */
    public Object chooser() {
        return chooser;
    }

    @Override
    public ShardChoice chooseShard(String table, Object key) throws ShardException {
        if (shardChooser == null) {
            throw new ShardException("strategy " + describe() + " of table " + table
                    + " cannot place new rows: it does not implement ShardChooser", ShardException.ROUTING);
        }
        return shardChooser.chooseShard(table, key);
    }

    @Override
    public Candidates candidates(String table, Object key) throws ShardException {
        if (idChooser != null) {
            return idChooser.candidates(table, key);
        }
        if (shardChooser != null) {
            ShardChoice c = shardChooser.chooseShard(table, key);
            return Candidates.of(c.shard(), c.reason());
        }
        return new Candidates(shards, "no IdChooser → all " + shards.size() + " shards");
    }

    @Override
    public Targets chooseShards(String table, String sql) throws ShardException {
        return queryChooser != null ? queryChooser.chooseShards(table, sql) : all;
    }

    @Override
    public List<String> shards() {
        return shards;
    }

    @Override
    public String describe() {
        return chooser.getClass().getName() + (props.isEmpty() ? "" : " " + Secrets.maskValues(props))
                + " over " + shards;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CustomStrategy c)) {
            return false;
        }
        return c.chooser == chooser
                || (c.chooser.getClass() == chooser.getClass() && c.props.equals(props) && c.shards.equals(shards));
    }

    @Override
    public int hashCode() {
        return Objects.hash(chooser.getClass(), props, shards);
    }

    @Override
    public String toString() {
        return describe();
    }
}
