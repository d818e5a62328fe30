package io.shardkit.config;

import io.shardkit.IdChooser;
import io.shardkit.QueryChooser;
import io.shardkit.ShardChooser;
import io.shardkit.strategy.BucketPlacement;
import io.shardkit.strategy.BucketStrategy;
import io.shardkit.strategy.CustomStrategy;
import io.shardkit.strategy.HashStrategy;
import io.shardkit.strategy.ListStrategy;
import io.shardkit.strategy.ModStrategy;
import io.shardkit.strategy.RangeStrategy;
import io.shardkit.strategy.Strategy;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads a {@code strategy:} mapping of a shard map (a table's, or an archive placement's) into a
 * {@link Strategy}: its type and the keys that type takes, its shards, range bounds, list values,
 * and for {@code class:} the chooser, made only after its class is known to be one. Problems are
 * added to the file's {@link Problems} with their YAML path, as {@link YamlNodes} does.
 */
final class StrategyReader {
    private static final Set<String> STRATEGY_KEYS =
            Set.of("type", "shards", "bounds", "values", "default", "class", "props", "buckets", "bucketOf", "placement");
    private static final List<String> TYPES = List.of("mod", "hash", "range", "list", "buckets", "class");
    /** A {@code placement:} key: one bucket, or an inclusive range of them. */
    private static final Pattern BUCKET_RANGE = Pattern.compile("(\\d{1,7})(?:-(\\d{1,7}))?");
    /** The keys each strategy type reads; any other strategy key would be silently ignored, so it is an error. */
    private static final Map<String, Set<String>> TYPE_KEYS = Map.of(
            "mod", Set.of("type", "shards"),
            "hash", Set.of("type", "shards"),
            "range", Set.of("type", "bounds", "shards"),
            "list", Set.of("type", "values", "default"),
            "buckets", Set.of("type", "buckets", "bucketOf", "placement", "shards"),
            "class", Set.of("type", "class", "props", "shards"));

    private final Problems problems;
    private final YamlNodes nodes;

    StrategyReader(Problems problems, YamlNodes nodes) {
        this.problems = problems;
        this.nodes = nodes;
    }

    Strategy readStrategy(Node node, String path, List<ShardSpec> shards, Set<String> known) {
        MappingNode m = nodes.mapping(node, path);
        if (m == null) {
            return null;
        }
        Map<String, Node> f = nodes.fields(m, path, STRATEGY_KEYS);
        String className = nodes.text(f.get("class"), path + ".class");
        String type = nodes.type(f, path, className, TYPES, TYPE_KEYS, Set.of(), "strategy", "strategy");
        if (type == null) {
            return null;
        }
        List<String> shardList = f.containsKey("shards") ? shardList(f.get("shards"), path + ".shards", known) : null;
        List<String> all = new ArrayList<>();
        for (ShardSpec s : shards) {
            all.add(s.name());
        }
        List<String> over = shardList == null || shardList.isEmpty() ? all : shardList;
        try {
            switch (type) {
                case "mod":
                    return new ModStrategy(over);
                case "hash":
                    return new HashStrategy(over);
                case "range":
                    return range(f, path, shardList);
                case "list":
                    return list(f, path, known);
                case "buckets":
                    return buckets(f, path, shardList, over, known);
                default:
                    return custom(f, path, className, over);
            }
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage());
            return null;
        }
    }

    private Strategy range(Map<String, Node> f, String path, List<String> shardList) {
        if (shardList == null) {
            problems.add(path + ".shards", "missing: range needs shards (one more than bounds)");
            return null;
        }
        List<Object> bounds = nodes.rangeBounds(f, path);
        if (bounds == null) {
            return null;
        }
        return new RangeStrategy(bounds, shardList);
    }

    private Strategy list(Map<String, Node> f, String path, Set<String> known) {
        Map<String, String> values = nodes.values(f.get("values"), path + ".values");
        for (Map.Entry<String, String> e : values.entrySet()) {
            ShardMap.checkShard(problems, path + ".values." + e.getKey(), e.getValue(), known);
        }
        String def = nodes.text(f.get("default"), path + ".default");
        if (def != null) {
            ShardMap.checkShard(problems, path + ".default", def, known);
        }
        return new ListStrategy(values, def);
    }

    /**
     * {@code type: buckets}: B (a power of two), {@code bucketOf} (mod by default), and either the
     * default placement over {@code shards} (bucket b on {@code shards[b mod n]}) or a
     * {@code placement} of bucket ranges, each bucket exactly once, whose shards are the listed
     * {@code shards} when both are given. The first unplaced or doubly placed bucket is named.
     */
    private Strategy buckets(Map<String, Node> f, String path, List<String> shardList, List<String> over,
            Set<String> known) {
        String b = nodes.text(f.get("buckets"), path + ".buckets");
        if (b == null) {
            problems.add(path + ".buckets", "missing: buckets needs the number of buckets, a power of two from 1 to "
                    + BucketPlacement.MAX_BUCKETS);
            return null;
        }
        int buckets = b.matches("\\d{1,7}") ? Integer.parseInt(b) : 0;
        if (buckets < 1 || buckets > BucketPlacement.MAX_BUCKETS || Integer.bitCount(buckets) != 1) {
            problems.add(path + ".buckets", "buckets must be a power of two from 1 to " + BucketPlacement.MAX_BUCKETS
                    + ", got '" + b + "'");
            return null;
        }
        String of = nodes.text(f.get("bucketOf"), path + ".bucketOf");
        BucketStrategy.BucketOf bucketOf = BucketStrategy.BucketOf.MOD;
        if (of != null) {
            if (!of.equals("mod") && !of.equals("hash")) {
                problems.add(path + ".bucketOf", "unknown bucketOf '" + of + "' (known: mod, hash)");
                return null;
            }
            bucketOf = of.equals("hash") ? BucketStrategy.BucketOf.HASH : BucketStrategy.BucketOf.MOD;
        }
        if (!f.containsKey("placement")) {
            return new BucketStrategy(BucketPlacement.defaultOver(buckets, over), bucketOf);
        }
        BucketPlacement placement = placement(f.get("placement"), path + ".placement", buckets, shardList, known);
        if (placement == null) {
            return null;
        }
        for (int i = 0; shardList != null && i < shardList.size(); i++) {
            if (!placement.shards().contains(shardList.get(i))) {
                problems.add(path + ".shards[" + i + "]", "shard '" + shardList.get(i)
                        + "' holds no bucket of the placement (place buckets on it or leave it out)");
                return null;
            }
        }
        return new BucketStrategy(placement, bucketOf);
    }

    private BucketPlacement placement(Node node, String path, int buckets, List<String> shardList, Set<String> known) {
        Map<String, String> ranges = nodes.values(node, path);
        String[] shardOf = new String[buckets];
        String[] placedBy = new String[buckets];
        boolean ok = true;
        for (Map.Entry<String, String> e : ranges.entrySet()) {
            String at = path + "." + e.getKey();
            Matcher m = BUCKET_RANGE.matcher(e.getKey());
            if (!m.matches()) {
                problems.add(at, "expected a bucket (7) or an inclusive range of buckets (0-1023), got '"
                        + e.getKey() + "'");
                ok = false;
                continue;
            }
            int lo = Integer.parseInt(m.group(1));
            int hi = m.group(2) == null ? lo : Integer.parseInt(m.group(2));
            if (hi < lo || hi >= buckets) {
                problems.add(at, hi < lo ? "range " + e.getKey() + " runs backwards"
                        : "bucket " + hi + " is outside 0-" + (buckets - 1));
                ok = false;
                continue;
            }
            String shard = e.getValue();
            if (!known.contains(shard)) {
                ShardMap.checkShard(problems, at, shard, known);
                ok = false;
            } else if (shardList != null && !shardList.isEmpty() && !shardList.contains(shard)) {
                problems.add(at, "shard '" + shard + "' is not in the strategy's shards " + shardList);
                ok = false;
            }
            for (int k = lo; k <= hi; k++) { // stops at the first bucket placed twice, so the work is at most B
                if (shardOf[k] != null) {
                    problems.add(at, "bucket " + k + " is placed twice (also by '" + placedBy[k] + "')");
                    ok = false;
                    break;
                }
                shardOf[k] = shard;
                placedBy[k] = e.getKey();
            }
        }
        if (!ok) {
            return null;
        }
        for (int k = 0; k < buckets; k++) {
            if (shardOf[k] == null) {
                problems.add(path, "bucket " + k + " is not placed (every bucket from 0 to " + (buckets - 1)
                        + " needs a shard)");
                return null;
            }
        }
        return BucketPlacement.of(Arrays.asList(shardOf));
    }

    private Strategy custom(Map<String, Node> f, String path, String className, List<String> shardList) {
        if (className == null) {
            problems.add(path + ".class", "missing: type class needs the name of a class implementing ShardChooser, IdChooser or QueryChooser");
            return null;
        }
        Map<String, String> props = nodes.values(f.get("props"), path + ".props");
        Object chooser = instantiate(className, path + ".class", shardList, props);
        if (chooser == null) {
            return null;
        }
        return new CustomStrategy(chooser, shardList, props);
    }

    /**
     * Makes the chooser a {@code class:} strategy names. The class is looked up without running
     * its static initializer, checked for a chooser interface, and only then initialised, so a
     * class that is not a chooser never runs code; a static initializer that throws says so.
     */
    private Object instantiate(String className, String path, List<String> shards, Map<String, String> props) {
        Class<?> type;
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = context != null ? context : YamlShardMap.class.getClassLoader();
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException e) {
            problems.add(path, "class " + className + " not found on the class path");
            return null;
        } catch (LinkageError e) {
            problems.add(path, "class " + className + " cannot be loaded: " + e);
            return null;
        }
        if (!ShardChooser.class.isAssignableFrom(type) && !IdChooser.class.isAssignableFrom(type)
                && !QueryChooser.class.isAssignableFrom(type)) {
            problems.add(path, "class " + className + " implements none of ShardChooser, IdChooser, QueryChooser");
            return null;
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            problems.add(path, "class " + className + " is " + (type.isInterface() ? "an interface" : "abstract")
                    + "; name a concrete class");
            return null;
        }
        try {
            Class.forName(className, true, loader);
        } catch (ExceptionInInitializerError e) {
            problems.add(path, "class " + className + " failed in its static initializer: " + e.getCause());
            return null;
        } catch (ClassNotFoundException | LinkageError e) {
            // NoClassDefFoundError: its static initializer failed before, in this class loader
            problems.add(path, "class " + className + " cannot be initialised: " + e);
            return null;
        }
        try {
            for (Constructor<?> c : type.getConstructors()) {
                Class<?>[] p = c.getParameterTypes();
                if (p.length == 2 && p[0] == List.class && p[1] == Map.class) {
                    return c.newInstance(List.copyOf(shards), Map.copyOf(props));
                }
            }
            for (Constructor<?> c : type.getConstructors()) {
                Class<?>[] p = c.getParameterTypes();
                if (p.length == 1 && p[0] == Map.class) {
                    return c.newInstance(Map.copyOf(props));
                }
            }
            for (Constructor<?> c : type.getConstructors()) {
                if (c.getParameterCount() == 0) {
                    return c.newInstance();
                }
            }
        } catch (InvocationTargetException e) {
            problems.add(path, "class " + className + " failed to start: its constructor threw " + e.getCause());
            return null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            problems.add(path, "class " + className + " cannot be made: " + e);
            return null;
        }
        problems.add(path, "class " + className
                + " needs a public constructor (List<String> shards, Map<String,String> props), (Map<String,String> props) or ()");
        return null;
    }

    List<String> shardList(Node node, String path, Set<String> known) {
        SequenceNode seq = nodes.sequence(node, path);
        if (seq == null) {
            return List.of();
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            String shard = nodes.text(seq.getValue().get(i), path + "[" + i + "]");
            if (shard == null) {
                continue;
            }
            ShardMap.checkShard(problems, path + "[" + i + "]", shard, known);
            list.add(shard);
        }
        if (list.isEmpty()) {
            problems.add(path, "empty: name at least one shard");
        }
        return list;
    }
}
