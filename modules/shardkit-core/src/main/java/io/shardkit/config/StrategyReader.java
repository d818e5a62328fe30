package io.shardkit.config;

import io.shardkit.IdChooser;
import io.shardkit.QueryChooser;
import io.shardkit.ShardChooser;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
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
            Set.of("type", "shards", "bounds", "values", "default", "class", "props");
    private static final List<String> TYPES = List.of("mod", "hash", "range", "list", "class");
    /** The keys each strategy type reads; any other strategy key would be silently ignored, so it is an error. */
    private static final Map<String, Set<String>> TYPE_KEYS = Map.of(
            "mod", Set.of("type", "shards"),
            "hash", Set.of("type", "shards"),
            "range", Set.of("type", "bounds", "shards"),
            "list", Set.of("type", "values", "default"),
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
