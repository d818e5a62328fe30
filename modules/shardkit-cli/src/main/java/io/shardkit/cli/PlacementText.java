package io.shardkit.cli;

import io.shardkit.strategy.BucketPlacement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Bucket placements as the {@code reshard} command reads and prints them. */
final class PlacementText {
    private static final Pattern RANGE = Pattern.compile("(\\d{1,7})(?:-(\\d{1,7}))?");

    private PlacementText() {
    }

    /**
     * Reads {@code --placement}: {@code from-to: shard} or {@code bucket: shard} entries separated by
     * commas, optionally in braces with quoted keys as in YAML; every bucket from 0 to B-1 exactly once.
     */
    static BucketPlacement parse(String text, int buckets) {
        String t = text.strip();
        if (t.startsWith("{") && t.endsWith("}")) {
            t = t.substring(1, t.length() - 1);
        }
        String[] of = new String[buckets];
        for (String part : t.split(",")) {
            String entry = part.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.indexOf(':');
            Matcher m = RANGE.matcher(colon < 0 ? "" : unquote(entry.substring(0, colon)));
            String shard = colon < 0 ? "" : unquote(entry.substring(colon + 1));
            if (!m.matches() || shard.isEmpty()) {
                throw new Main.UsageException("--placement: expected 'from-to: shard' or 'bucket: shard', got '"
                        + entry + "'");
            }
            int lo = Integer.parseInt(m.group(1));
            int hi = m.group(2) == null ? lo : Integer.parseInt(m.group(2));
            if (hi < lo || hi >= buckets) {
                throw new Main.UsageException("--placement: " + (hi < lo ? "range " + entry + " runs backwards"
                        : "bucket " + hi + " is outside 0-" + (buckets - 1)));
            }
            for (int b = lo; b <= hi; b++) {
                if (of[b] != null) {
                    throw new Main.UsageException("--placement: bucket " + b + " is placed twice");
                }
                of[b] = shard;
            }
        }
        for (int b = 0; b < buckets; b++) {
            if (of[b] == null) {
                throw new Main.UsageException("--placement: bucket " + b + " is not placed (every bucket from 0 to "
                        + (buckets - 1) + " needs a shard)");
            }
        }
        return BucketPlacement.of(List.of(of));
    }

    private static String unquote(String s) {
        String t = s.strip();
        boolean quoted = t.length() >= 2 && (t.startsWith("\"") && t.endsWith("\"") || t.startsWith("'") && t.endsWith("'"));
        return quoted ? t.substring(1, t.length() - 1).strip() : t;
    }

    /** {@code 16 buckets over s0, s1}. */
    static String describe(BucketPlacement p) {
        return p.buckets() + " buckets over " + String.join(", ", p.shards());
    }

    /** The placement as {@code 0-3: s0, 4: s1, ...}. */
    static String ranges(BucketPlacement p) {
        StringBuilder b = new StringBuilder();
        p.ranges().forEach((range, shard) -> b.append(b.length() == 0 ? "" : ", ").append(range).append(": ").append(shard));
        return b.toString();
    }

    /** {@code text} cut after the last comma-separated item that fits in {@code max} characters, with {@code , ...}. */
    static String shorten(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int cut = text.lastIndexOf(',', max - 4);
        return (cut <= 0 ? text.substring(0, max - 4) : text.substring(0, cut)) + (text.contains(", ") ? ", ..." : ",...");
    }
}
