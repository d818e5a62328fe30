package io.shardkit.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * Stands between the YAML parser and the composer and refuses a hostile shape before any node of
 * it is built: nesting deeper than {@link #MAX_DEPTH}, an alias inside the collection it names (a
 * cycle: {@code shards: &a [*a]}), more than {@link #MAX_COLLECTION_ALIASES} aliases of
 * collections, and aliases that expand the document past {@link #MAX_NODES} values (an alias
 * bomb, which needs only a few dozen aliases). The composer recurses once per nesting level and
 * the loader walks the expanded tree, so both stay bounded by these limits.
 *
 * <p>Each event costs a few field updates; every refusal is a {@link Refusal} naming the YAML path
 * (as far as it is known when the event arrives) and the line.
 */
final class YamlGuard implements Parser {
    /** Deepest nesting of mappings and lists; a shard map needs about 8. */
    static final int MAX_DEPTH = 64;
    /**
     * Values (scalars, mappings, lists; keys count) after aliases are expanded: 10,000 shards with
     * a name and URL take 50,000, with credentials and a pool override about 150,000.
     */
    static final long MAX_NODES = 200_000;
    /** Aliases of mappings or lists (snakeyaml-engine's own default limit, enforced here with a path). */
    static final int MAX_COLLECTION_ALIASES = 50;

    /** A refused shape, with where it was found. */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String path;
        final int line;

        Refusal(String path, int line, String message) {
            super(message, null, false, false);
            this.path = path;
            this.line = line;
        }
    }

    /** A mapping or list being read. */
    private static final class Frame {
        final boolean mapping;
        final String path;
        final Anchor anchor;
        int index;
        boolean expectKey = true;
        String key = "?";
        long size = 1;

        Frame(boolean mapping, String path, Anchor anchor) {
            this.mapping = mapping;
            this.path = path;
            this.anchor = anchor;
        }
    }

    private final Parser parser;
    private final List<Frame> stack = new ArrayList<>();
    /** Anchor → values it expands to, for anchors whose node is complete. */
    private final Map<Anchor, Long> sizes = new HashMap<>();
    private long nodes;
    private int collectionAliases;
    private String lastPath = "(root)";
    /** Whether the node of the last {@link #pathOf} call is a mapping's key. */
    private boolean wasKey;
    private int lastLine = 1;

    YamlGuard(Parser parser) {
        this.parser = parser;
    }

    /** The path of the last value seen and its line, for errors raised by the parser itself. */
    String lastPath() {
        return lastPath;
    }

    int lastLine() {
        return lastLine;
    }

    @Override
    public boolean checkEvent(Event.ID id) {
        return parser.checkEvent(id);
    }

    @Override
    public Event peekEvent() {
        return parser.peekEvent();
    }

    @Override
    public boolean hasNext() {
        return parser.hasNext();
    }

    @Override
    public Event next() {
        Event e = parser.next();
        switch (e.getEventId()) {
            case Scalar -> scalar((ScalarEvent) e);
            case Alias -> alias((AliasEvent) e);
            case MappingStart, SequenceStart -> open(e);
            case MappingEnd, SequenceEnd -> close();
            default -> { }
        }
        return e;
    }

    private void open(Event e) {
        String path = pathOf(e);
        if (stack.size() >= MAX_DEPTH) {
            throw new Refusal(shorten(path), line(e), "nested deeper than " + MAX_DEPTH + " levels"
                    + " (a shard map needs about 8)");
        }
        count(e, path, 1);
        Optional<Anchor> anchor = ((NodeEvent) e).getAnchor();
        stack.add(new Frame(e.getEventId() == Event.ID.MappingStart, path, anchor.orElse(null)));
    }

    private void close() {
        Frame f = stack.remove(stack.size() - 1);
        if (f.anchor != null) {
            sizes.put(f.anchor, f.size);
        }
        if (!stack.isEmpty()) {
            stack.get(stack.size() - 1).size += f.size;
        }
    }

    private void alias(AliasEvent e) {
        Anchor anchor = e.getAlias();
        String path = pathOf(e);
        for (Frame f : stack) {
            if (anchor.equals(f.anchor)) {
                throw new Refusal(shorten(path), line(e), "alias *" + anchor.getValue()
                        + " refers to a collection that contains it (a cycle)");
            }
        }
        Long size = sizes.get(anchor);
        if (size == null) {
            // a scalar's anchor, or an undefined one (the composer names that)
            size = 1L;
        } else if (size > 1 && ++collectionAliases > MAX_COLLECTION_ALIASES) {
            throw new Refusal(shorten(path), line(e), "more than " + MAX_COLLECTION_ALIASES
                    + " aliases of mappings or lists");
        }
        count(e, path, size);
        if (!stack.isEmpty()) {
            stack.get(stack.size() - 1).size += size;
        }
    }

    private void scalar(ScalarEvent e) {
        String path = pathOf(e);
        boolean key = wasKey;
        count(e, path, 1);
        e.getAnchor().ifPresent(sizes::remove);
        if (!stack.isEmpty()) {
            Frame top = stack.get(stack.size() - 1);
            top.size += 1;
            if (key) {
                // remembered for the path of the value that follows
                top.key = e.getValue();
            }
        }
    }

    private void count(Event e, String path, long size) {
        nodes += size;
        if (nodes > MAX_NODES) {
            throw new Refusal(shorten(path), line(e), "the map expands to more than " + MAX_NODES
                    + " values" + (sizes.isEmpty() ? "" : " once its aliases are expanded (an alias bomb?)"));
        }
    }

    /** The path of the node an event starts, advancing the enclosing collection's position. */
    private String pathOf(Event e) {
        lastLine = line(e);
        wasKey = false;
        if (stack.isEmpty()) {
            lastPath = "(root)";
            return "";
        }
        Frame top = stack.get(stack.size() - 1);
        String path;
        if (!top.mapping) {
            path = top.path + "[" + top.index++ + "]";
        } else if (top.expectKey) {
            // a key: it lives at the mapping's own path; a scalar key is remembered by scalar()
            top.expectKey = false;
            top.key = "?";
            wasKey = true;
            path = top.path;
        } else {
            top.expectKey = true;
            path = top.path.isEmpty() ? top.key : top.path + "." + top.key;
        }
        lastPath = path.isEmpty() ? "(root)" : path;
        return path;
    }

    private static int line(Event e) {
        Optional<Mark> m = e.getStartMark();
        return m.map(mark -> mark.getLine() + 1).orElse(0);
    }

    /** A path of at most 200 characters: 2,000 nested lists make a path of 6,000. */
    static String shorten(String path) {
        String p = path.isEmpty() ? "(root)" : path;
        return p.length() <= 200 ? p : p.substring(0, 100) + "..." + p.substring(p.length() - 60);
    }
}
