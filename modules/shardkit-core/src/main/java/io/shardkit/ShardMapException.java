package io.shardkit;

import java.util.List;

/**
 * The shard map (YAML or builder) is invalid. Every problem found is reported at once, one per
 * line, each naming the YAML path and line, for example
 * {@code tables.players.strategy.shards[2]: unknown shard 's9' (known: s0, s1, s2, s3) (line 14)}.
 * SQLState {@code F0000} (configuration file error).
 */
public final class ShardMapException extends ShardException {
    private static final long serialVersionUID = 1L;

    public static final String SQL_STATE = SqlStates.CONFIG_FILE_ERROR;

    private final List<String> problems;

    public ShardMapException(String source, List<String> problems) {
        super(render(source, problems), SQL_STATE);
        this.problems = List.copyOf(problems);
    }

    public ShardMapException(String source, String problem, Throwable cause) {
        super(render(source, List.of(problem)), SQL_STATE, 0, null, cause);
        this.problems = List.of(problem);
    }

    /** Each problem on its own, in the order found. */
    public List<String> problems() {
        return problems;
    }

    private static String render(String source, List<String> problems) {
        StringBuilder sb = new StringBuilder("invalid shard map ").append(source).append(": ");
        if (problems.size() == 1) {
            return sb.append(problems.get(0)).toString();
        }
        sb.append(problems.size()).append(" problems");
        for (String p : problems) {
            sb.append("\n  ").append(p);
        }
        return sb.toString();
    }
}
