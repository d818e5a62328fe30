package io.shardkit.cli;

import java.io.PrintStream;

/** A one-line progress bar redrawn in place: {@code [#####.....] 52% 520,000/1,000,000 (180,000/s)}. */
final class Progress {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String label;
    private final long start = System.nanoTime();
    private long lastDraw;

    Progress(PrintStream out, String label) {
        this.out = out;
        this.label = label;
    }

    void show(long done, long total) {
        long now = System.nanoTime();
        if (now - lastDraw < 100_000_000L && done < total) {
            return;
        }
        lastDraw = now;
        double fraction = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = Math.max(1e-3, (now - start) / 1e9);
        out.printf("\r%s [%s%s] %3d%% %,d/%,d (%,.0f/s)", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                Math.round(fraction * 100), done, total, done / seconds);
        out.flush();
    }

    void done() {
        out.println();
    }
}
