package io.shardkit.cli;

import io.shardkit.ShardedDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import picocli.CommandLine.Option;

/** What every subcommand shares: the streams, {@code --verbose}, and opening the shard map. */
abstract class Base {
    final Main.Io io;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    /** {@code --help} prints the usage and exits 0, before any required option is checked. */
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    Base(Main.Io io) {
        this.io = io;
    }

    /** Opens the shard map at {@code path}; a missing file is a usage error. */
    ShardedDataSource open(Path path) throws SQLException {
        if (path == null) {
            throw new Main.UsageException("give the shard map with -c map.yaml");
        }
        if (!Files.isRegularFile(path)) {
            throw new Main.UsageException("no shard map at " + path);
        }
        return ShardedDataSource.fromYaml(path);
    }
}
