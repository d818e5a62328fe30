package io.shardkit.jdbc;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes the pure delegation over a {@code java.sql} interface as Java source: every method of the
 * interface passes its arguments to the delegate, in a fixed order (name, then parameter count,
 * then parameter types) and a fixed format, so the output is the same on every run. The sources are
 * checked in under {@code src/main/java}; {@link ForwardingGeneratorTest} regenerates them in memory
 * and compares byte for byte (run it with {@code -Dforwarding.write=true} to rewrite them).
 *
 * <p>Only delegation is generated. What a wrapper adds is written by hand in its subclass; the
 * methods a subclass must decide (closing, the statement, the metadata) are left abstract, and the
 * {@code Wrapper} methods follow one rule (this object first, then the delegate's). No reflection
 * runs at run time: the generated classes are plain calls.
 *
 * <p>It also writes the block of {@link ComposedResultSet} that refuses, with a final method each,
 * every update, row-change and navigation method of {@link ResultSet} ({@link #refusals()}).
 */
final class ForwardingGenerator {
    static final String WRITE_PROPERTY = "forwarding.write";
    static final String REFUSALS_BEGIN = "    // ---------------------------------------------------------------- generated: refusals";
    static final String REFUSALS_END = "    // ---------------------------------------------------------------- end of generated refusals";

    /** One generated class: the interface, where it goes, and what stays hand-written. */
    record Spec(Class<?> iface, String pkg, String name, String modifiers, String javadoc, String members,
            String target, Set<String> leftAbstract) {

        Path file() {
            return Path.of("modules/shardkit-core/src/main/java", pkg.replace('.', '/'), name + ".java");
        }
    }

    static final Spec RESULT_SET = new Spec(ResultSet.class, "io.shardkit.jdbc", "ForwardingResultSet",
            "abstract class",
            """
            /**
             * A {@link ResultSet} whose column access, cursor movement and updates go to the shard cursor
             * {@link #current()} returns. Subclasses decide what "current" is (one shard's cursor, or the
             * shard being read in a concatenation) and implement the lifecycle methods: {@code next},
             * {@code close}, {@code isClosed}, {@code getStatement}, {@code getMetaData}, {@code wasNull}.
             *
             * <p>Nothing is copied: every getter reads the driver's row directly.
             */
            """,
            """
                /** The shard cursor that column access goes to. */
                protected abstract ResultSet current() throws SQLException;
            """,
            "current()", Set.of("next", "close", "isClosed", "getStatement", "getMetaData", "wasNull"));

    static final Spec CONNECTION = new Spec(Connection.class, "io.shardkit.pool", "ForwardingConnection",
            "public abstract class",
            """
            /**
             * A {@link Connection} that passes every call to the connection it wraps. Subclasses decide what
             * closing means ({@link LentConnection}: give a permit back, reset a tenant's schema) and
             * override what else they change.
             */
            """,
            """
                protected final Connection delegate;

                protected ForwardingConnection(Connection delegate) {
                    this.delegate = delegate;
                }
            """,
            "delegate", Set.of("close", "isClosed"));

    static final List<Spec> SPECS = List.of(RESULT_SET, CONNECTION);

    private static final Set<String> FORWARD_ONLY = Set.of("absolute", "afterLast", "beforeFirst", "first", "last",
            "moveToCurrentRow", "moveToInsertRow", "previous", "relative");
    private static final Set<String> READ_ONLY = Set.of("cancelRowUpdates", "deleteRow", "insertRow", "refreshRow",
            "rowDeleted", "rowInserted", "rowUpdated");
    private static final Set<String> UNANSWERABLE = Set.of("getCursorName", "getHoldability");

    private ForwardingGenerator() {
    }

    /** The whole source file of {@code spec}. */
    static String source(Spec spec) {
        Imports imports = new Imports(spec.pkg());
        imports.add(spec.iface());
        imports.add(SQLException.class);
        StringBuilder body = new StringBuilder();
        String delegate = spec.target();
        body.append('\n').append(spec.members());
        body.append('\n');
        body.append("    @Override\n");
        body.append("    public <T> T unwrap(Class<T> iface) throws SQLException {\n");
        body.append("        return iface.isInstance(this) ? iface.cast(this) : ").append(delegate)
                .append(".unwrap(iface);\n");
        body.append("    }\n\n");
        body.append("    @Override\n");
        body.append("    public boolean isWrapperFor(Class<?> iface) throws SQLException {\n");
        body.append("        return iface.isInstance(this) || ").append(delegate).append(".isWrapperFor(iface);\n");
        body.append("    }\n");
        for (Method m : methods(spec.iface())) {
            if (m.getName().equals("unwrap") || m.getName().equals("isWrapperFor")) {
                continue;
            }
            body.append('\n');
            body.append("    @Override\n");
            if (m.isAnnotationPresent(Deprecated.class)) {
                body.append("    @Deprecated\n");
            }
            boolean left = spec.leftAbstract().contains(m.getName());
            List<String> names = parameterNames(m, false);
            body.append("    public ").append(left ? "abstract " : "").append(signature(m, names, imports));
            if (left) {
                body.append(";\n");
                continue;
            }
            body.append(" {\n        ");
            if (m.getReturnType() != void.class) {
                body.append("return ");
            }
            body.append(delegate).append('.').append(m.getName()).append('(').append(String.join(", ", names))
                    .append(");\n    }\n");
        }
        StringBuilder out = new StringBuilder();
        out.append("// GENERATED by ForwardingGenerator from ").append(spec.iface().getName())
                .append(" (JDK 17): do not edit; regenerate with -D").append(WRITE_PROPERTY).append("=true\n");
        out.append("package ").append(spec.pkg()).append(";\n\n");
        for (String imp : imports.names()) {
            out.append("import ").append(imp).append(";\n");
        }
        out.append('\n').append(spec.javadoc());
        out.append(spec.modifiers()).append(' ').append(spec.name()).append(" implements ")
                .append(spec.iface().getSimpleName()).append(" {\n");
        out.append(body);
        out.append("}\n");
        return out.toString();
    }

    /**
     * The block of {@link ComposedResultSet} between {@link #REFUSALS_BEGIN} and {@link #REFUSALS_END}:
     * a final refusal for every update, row-change and navigation method of {@link ResultSet}, two
     * lines each. The imports it needs are the hand-written file's.
     */
    static String refusals() {
        StringBuilder out = new StringBuilder();
        out.append(REFUSALS_BEGIN).append('\n');
        Imports imports = new Imports("io.shardkit.jdbc");
        String[] titles = {"moving other than forward", "the cursor's own properties", "changing rows"};
        for (int group = 0; group < titles.length; group++) {
            out.append('\n').append("    // ").append(titles[group]).append('\n');
            for (Method m : methods(ResultSet.class)) {
                String kind = refusal(m.getName());
                if (kind == null || group(m.getName()) != group) {
                    continue;
                }
                out.append("    @Override\n");
                out.append("    public final ").append(signature(m, parameterNames(m, true), imports))
                        .append(" { throw ").append(kind).append("(\"").append(m.getName()).append("\"); }\n");
            }
        }
        out.append(REFUSALS_END).append('\n');
        return out.toString();
    }

    private static int group(String method) {
        return FORWARD_ONLY.contains(method) ? 0 : UNANSWERABLE.contains(method) ? 1 : 2;
    }

    private static String refusal(String method) {
        if (FORWARD_ONLY.contains(method)) {
            return "forwardOnly";
        }
        if (READ_ONLY.contains(method) || method.startsWith("update")) {
            return "readOnly";
        }
        return UNANSWERABLE.contains(method) ? "unanswerable" : null;
    }

    /** The interface's instance methods (inherited ones included, each signature once), in a fixed order. */
    static List<Method> methods(Class<?> iface) {
        Map<String, Method> bySignature = new LinkedHashMap<>();
        for (Method m : iface.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            String key = m.getName() + typeNames(m);
            Method seen = bySignature.get(key);
            if (seen == null || seen.getDeclaringClass().isAssignableFrom(m.getDeclaringClass())) {
                bySignature.put(key, m);
            }
        }
        List<Method> out = new ArrayList<>(bySignature.values());
        out.sort(Comparator.comparing(Method::getName).thenComparingInt(Method::getParameterCount)
                .thenComparing(ForwardingGenerator::typeNames));
        return out;
    }

    private static String typeNames(Method m) {
        StringBuilder s = new StringBuilder();
        for (Class<?> p : m.getParameterTypes()) {
            s.append(p.getTypeName()).append(',');
        }
        return s.toString();
    }

    /** Column parameters are {@code columnIndex}/{@code columnLabel} ({@code c}); the rest {@code arg1..} ({@code x..}). */
    private static List<String> parameterNames(Method m, boolean compact) {
        List<String> names = new ArrayList<>();
        Class<?>[] types = m.getParameterTypes();
        boolean column = m.getDeclaringClass() == ResultSet.class
                && (m.getName().startsWith("get") || m.getName().startsWith("update"));
        for (int i = 0; i < types.length; i++) {
            if (i == 0 && column && types[0] == int.class) {
                names.add(compact ? "c" : "columnIndex");
            } else if (i == 0 && column && types[0] == String.class) {
                names.add(compact ? "c" : "columnLabel");
            } else {
                names.add(compact ? String.valueOf((char) ('w' + i)) : "arg" + i);
            }
        }
        return names;
    }

    /** {@code <T> T name(A a, B b) throws X}: type parameters, return type, parameters, exceptions. */
    private static String signature(Method m, List<String> names, Imports imports) {
        if (m.isVarArgs()) {
            throw new IllegalStateException("varargs are not generated: " + m);
        }
        StringBuilder s = new StringBuilder();
        TypeVariable<Method>[] vars = m.getTypeParameters();
        if (vars.length > 0) {
            List<String> declared = new ArrayList<>();
            for (TypeVariable<Method> v : vars) {
                Type[] bounds = v.getBounds();
                declared.add(bounds.length == 1 && bounds[0] == Object.class ? v.getName()
                        : v.getName() + " extends " + type(bounds[0], imports));
            }
            s.append('<').append(String.join(", ", declared)).append("> ");
        }
        s.append(type(m.getGenericReturnType(), imports)).append(' ').append(m.getName()).append('(');
        Type[] params = m.getGenericParameterTypes();
        for (int i = 0; i < params.length; i++) {
            s.append(i == 0 ? "" : ", ").append(type(params[i], imports)).append(' ').append(names.get(i));
        }
        s.append(')');
        Class<?>[] thrown = m.getExceptionTypes();
        for (int i = 0; i < thrown.length; i++) {
            s.append(i == 0 ? " throws " : ", ").append(type(thrown[i], imports));
        }
        return s.toString();
    }

    private static String type(Type t, Imports imports) {
        if (t instanceof Class<?> c) {
            if (c.isArray()) {
                return type(c.getComponentType(), imports) + "[]";
            }
            return imports.add(c);
        }
        if (t instanceof ParameterizedType p) {
            List<String> args = new ArrayList<>();
            for (Type a : p.getActualTypeArguments()) {
                args.add(type(a, imports));
            }
            return type(p.getRawType(), imports) + '<' + String.join(", ", args) + '>';
        }
        if (t instanceof WildcardType w) {
            if (w.getLowerBounds().length > 0) {
                return "? super " + type(w.getLowerBounds()[0], imports);
            }
            Type upper = w.getUpperBounds()[0];
            return upper == Object.class ? "?" : "? extends " + type(upper, imports);
        }
        if (t instanceof GenericArrayType g) {
            return type(g.getGenericComponentType(), imports) + "[]";
        }
        if (t instanceof TypeVariable<?> v) {
            return v.getName();
        }
        throw new IllegalStateException("unknown type " + t);
    }

    /** The imports of one file, sorted; two classes of one simple name fail the generation. */
    private static final class Imports {
        private final String pkg;
        private final Map<String, String> bySimpleName = new HashMap<>();
        private final TreeSet<String> names = new TreeSet<>();

        Imports(String pkg) {
            this.pkg = pkg;
        }

        /** Registers {@code c} and answers the name to write. */
        String add(Class<?> c) {
            if (c.isPrimitive()) {
                return c.getName();
            }
            if (c.getEnclosingClass() != null) {
                throw new IllegalStateException("nested classes are not generated: " + c);
            }
            String other = bySimpleName.putIfAbsent(c.getSimpleName(), c.getName());
            if (other != null && !other.equals(c.getName())) {
                throw new IllegalStateException("two classes named " + c.getSimpleName() + ": " + other + ", " + c);
            }
            String p = c.getPackageName();
            if (!p.equals("java.lang") && !p.equals(pkg)) {
                names.add(c.getName());
            }
            return c.getSimpleName();
        }

        Set<String> names() {
            return names;
        }
    }
}
