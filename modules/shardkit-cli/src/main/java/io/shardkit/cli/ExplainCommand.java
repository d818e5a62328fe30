package io.shardkit.cli;

import io.shardkit.ShardedDataSource;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code shardkit explain -c map.yaml "SQL" [params]}: the route, the choosers' reasons and the plan. */
@Command(name = "explain", description = "Show where a statement would run and how its rows would be merged.")
final class ExplainCommand extends Base implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, description = "the shard map (YAML)", required = true)
    Path config;

    @Parameters(index = "0", description = "the SQL")
    String sql;

    @Parameters(index = "1..*", description = "values of its ? parameters: 42, 1.5, 'text', null")
    List<String> params;

    ExplainCommand(Main.Io io) {
        super(io);
    }

    @Override
    public Integer call() throws Exception {
        try (ShardedDataSource ds = open(config)) {
            io.out().print(ds.explain(sql, Values.parseAll(params)));
        }
        return Main.OK;
    }
}
