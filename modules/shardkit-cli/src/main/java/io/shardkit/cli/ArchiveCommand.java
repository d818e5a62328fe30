package io.shardkit.cli;

import io.shardkit.ShardedDataSource;
import io.shardkit.archive.ArchiveListener;
import io.shardkit.archive.ArchiveProgress;
import io.shardkit.archive.ArchiveReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shardkit archive -c map.yaml --table T}: moves rows past the cutoff to the archive, with a progress bar. */
@Command(name = "archive", description = "Move rows past a tiered table's cutoff from hot to the archive.")
final class ArchiveCommand extends Base implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, description = "the shard map (YAML)", required = true)
    Path config;

    @Option(names = "--table", description = "the tiered table", required = true)
    String table;

    @Option(names = "--dry-run", description = "count what would move; write nothing")
    boolean dryRun;

    @Option(names = "--batch", description = "rows per batch (default ${DEFAULT-VALUE})", defaultValue = "500")
    int batch;

    ArchiveCommand(Main.Io io) {
        super(io);
    }

    @Override
    public Integer call() throws Exception {
        try (ShardedDataSource ds = open(config)) {
            Progress bar = new Progress(io.out(), "archiving " + table);
            ArchiveReport report = ds.archiver(table).batchSize(batch).dryRun(dryRun)
                    .listener(new ArchiveListener() {
                        @Override
                        public void progress(ArchiveProgress p) {
                            bar.show(p.rowsMoved(), p.rowsFound());
                        }
                    }).run();
            bar.done();
            io.out().println((dryRun ? "dry run: " + report.rowsFound() + " rows would move"
                    : "moved " + report.rowsMoved() + " of " + report.rowsFound() + " rows in " + report.batches()
                    + (ds.shardMap().tables().get(table.toLowerCase(java.util.Locale.ROOT)).isPeriodTiered()
                    ? " period tables" : " batches")) + " (" + report.elapsed().toMillis() + " ms)");
            return Main.OK;
        }
    }
}
