package io.shardkit.plan;

import io.shardkit.PlanNode;
import io.shardkit.merge.Cursor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * A key lookup over tiers: the hot shard first, then each archive shard in order; the first
 * shard that returns a row answers, and the later ones are never queried. One shard is open at a
 * time, and its rows stream through unchanged. A later tier must return the columns of the first
 * (which describes the result): compared only when the first has no row ({@link SameColumns}).
 */
public record FirstHit(List<Route> routes) implements RowSource {

    public FirstHit {
        routes = List.copyOf(routes);
    }

    @Override
    public String describe() {
        StringBuilder order = new StringBuilder();
        for (Route r : routes) {
            order.append(order.length() == 0 ? "" : " → ").append(r.shard());
        }
        return "FirstHit " + order + " (the first shard with rows answers)";
    }

    @Override
    public List<PlanNode> children() {
        return List.copyOf(routes);
    }

    @Override
    public Cursor open(Execution execution) throws SQLException {
        int width = 0;
        SameColumns first = null;
        for (int i = 0; i < routes.size(); i++) {
            Route route = routes.get(i);
            Cursor c = execution.open(new Scatter(List.of(route), false)).get(0);
            boolean hit;
            try {
                width = c.columnCount();
                if (first != null) {
                    first.require(c, route, execution.values().dialect()); // the result is described by the first tier
                }
                hit = c.next();
                if (!hit && i == 0 && routes.size() > 1) {
                    first = SameColumns.of(c, route.shard(), execution.values().dialect()); // only when a later tier is read
                }
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
            if (hit) {
                return new Hit(c);
            }
            c.close();
        }
        int columns = width;
        return new MaterializedRows(columns) {
            @Override
            public boolean next() {
                return false;
            }

            @Override
            public void close() {
                // nothing is open
            }
        };
    }

    /** The answering shard's rows, its first row already read. */
    private static final class Hit extends PassThrough {
        private boolean first = true;

        Hit(Cursor in) {
            super(in);
        }

        @Override
        public boolean next() throws SQLException {
            if (first) {
                first = false;
                return true;
            }
            return in.next();
        }

        @Override
        public ResultSet source() {
            return in.source();
        }
    }
}
