package io.shardkit.sql;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.AnalyticType;
import net.sf.jsqlparser.expression.AnyComparisonExpression;
import net.sf.jsqlparser.expression.ArrayConstructor;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.CollateExpression;
import net.sf.jsqlparser.expression.DateTimeLiteralExpression;
import net.sf.jsqlparser.expression.DateUnitExpression;
import net.sf.jsqlparser.expression.DateValue;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExtractExpression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.HexValue;
import net.sf.jsqlparser.expression.IntervalExpression;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.TimeKeyExpression;
import net.sf.jsqlparser.expression.TimeValue;
import net.sf.jsqlparser.expression.TimestampValue;
import net.sf.jsqlparser.expression.TrimFunction;
import net.sf.jsqlparser.expression.WhenClause;
import net.sf.jsqlparser.expression.WindowDefinition;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.BitwiseAnd;
import net.sf.jsqlparser.expression.operators.arithmetic.BitwiseLeftShift;
import net.sf.jsqlparser.expression.operators.arithmetic.BitwiseOr;
import net.sf.jsqlparser.expression.operators.arithmetic.BitwiseRightShift;
import net.sf.jsqlparser.expression.operators.arithmetic.BitwiseXor;
import net.sf.jsqlparser.expression.operators.arithmetic.Concat;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.IntegerDivision;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.conditional.XorExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsBooleanExpression;
import net.sf.jsqlparser.expression.operators.relational.IsDistinctExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.expression.operators.relational.RegExpMatchOperator;
import net.sf.jsqlparser.expression.operators.relational.SimilarToExpression;
import net.sf.jsqlparser.expression.operators.relational.SupportsOldOracleJoinSyntax;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.Select;

/**
 * The expression half of {@link Allowlist}: dispatches on each expression node's exact class and
 * walks its children explicitly, so a node class not listed here (or a subclass of one that is)
 * refuses. Function calls must name a function {@link Functions} knows; the first volatile call
 * is remembered for broadcast writes. Subqueries and ORDER BY lists go back to the statement walk.
 */
final class ExpressionAllowlist {
    /** Binary operators whose meaning is the same on every supported database (given the lexical checks). */
    private static final Set<Class<?>> BINARY = Set.of(Addition.class, Subtraction.class, Multiplication.class,
            Division.class, IntegerDivision.class, Modulo.class, Concat.class, BitwiseAnd.class, BitwiseOr.class,
            BitwiseXor.class, BitwiseLeftShift.class, BitwiseRightShift.class, AndExpression.class, OrExpression.class,
            XorExpression.class, EqualsTo.class, NotEqualsTo.class, GreaterThan.class, GreaterThanEquals.class,
            MinorThan.class, MinorThanEquals.class, LikeExpression.class, SimilarToExpression.class,
            RegExpMatchOperator.class, IsDistinctExpression.class);

    private static final Set<Class<?>> LITERALS = Set.of(LongValue.class, DoubleValue.class, NullValue.class,
            HexValue.class, DateValue.class, TimeValue.class, TimestampValue.class, BooleanValue.class,
            DateTimeLiteralExpression.class, DateUnitExpression.class);

    private final SelectAllowlist owner;
    /** The first call of a volatile function or clock keyword met, or {@code null}. */
    private String volatileCall;

    ExpressionAllowlist(SelectAllowlist owner) {
        this.owner = owner;
    }

    String volatileCall() {
        return volatileCall;
    }

    /** The first call of a connection-state function ({@code last_insert_rowid()}, ...), or {@code null}. */
    private String connectionStateCall;

    String connectionStateCall() {
        return connectionStateCall;
    }


    /** The name of the first {@code = ANY(array)} met ({@code any} as written), or {@code null}. */
    private String anyArrayCall;

    String anyArrayCall() {
        return anyArrayCall;
    }

    /**
     * PostgreSQL's {@code x = ANY(?)} / {@code x = ANY(ARRAY[...])}: the parser reads the right side
     * as a call of {@code any}. Only these two argument forms; the analyzer refuses it on other dialects.
     */
    static boolean isAnyArray(Expression e) {
        return e instanceof Function f && f.getClass() == Function.class && f.getName() != null
                && f.getName().equalsIgnoreCase("any") && (f.getMultipartName() == null || f.getMultipartName().size() == 1)
                && f.getParameters() != null && f.getParameters().size() == 1 && !f.isDistinct() && !f.isAllColumns()
                && f.getOrderByElements() == null
                && (f.getParameters().get(0) instanceof JdbcParameter
                        || f.getParameters().get(0) instanceof ArrayConstructor a
                                && a.isArrayKeyword());
    }

    void expressions(Collection<? extends Expression> list) {
        if (list != null) {
            for (Expression e : list) {
                expression(e);
            }
        }
    }

    void expression(Expression e) {
        if (e == null) {
            return;
        }
        Class<?> k = e.getClass();
        if (LITERALS.contains(k)) {
            return;
        }
        if (k == StringValue.class) {
            String prefix = ((StringValue) e).getPrefix();
            if (prefix != null && !Set.of("E", "N", "X").contains(prefix.toUpperCase(Locale.ROOT))) {
                throw Allowlist.unknown("the string literal " + e);
            }
            return;
        }
        if (k == JdbcParameter.class) {
            if (((JdbcParameter) e).isUseFixedIndex()) {
                throw Allowlist.unknown("the numbered parameter " + e + " (use plain ? parameters)");
            }
            return;
        }
        if (k == Column.class) {
            column((Column) e);
            return;
        }
        if (BINARY.contains(k)) {
            BinaryExpression b = (BinaryExpression) e;
            if (b instanceof SupportsOldOracleJoinSyntax o
                    && (o.getOldOracleJoinSyntax() != 0 || o.getOraclePriorPosition() != 0)) {
                throw Allowlist.unknown("the Oracle join operator in " + e);
            }
            if (b instanceof LikeExpression like) {
                expression(like.getEscape());
            }
            if (k == EqualsTo.class && isAnyArray(b.getRightExpression())) {
                Function any = (Function) b.getRightExpression();
                anyArrayCall = anyArrayCall == null ? any.getName() : anyArrayCall;
                expression(b.getLeftExpression());
                expression(any.getParameters().get(0));
                return;
            }
            expression(b.getLeftExpression());
            expression(b.getRightExpression());
            return;
        }
        if (k == SignedExpression.class) {
            expression(((SignedExpression) e).getExpression());
        } else if (k == NotExpression.class) {
            expression(((NotExpression) e).getExpression());
        } else if (k == ParenthesedExpressionList.class || k == ExpressionList.class) {
            expressions((ExpressionList<?>) e);
        } else if (k == IsNullExpression.class) {
            expression(((IsNullExpression) e).getLeftExpression());
        } else if (k == IsBooleanExpression.class) {
            expression(((IsBooleanExpression) e).getLeftExpression());
        } else if (k == Between.class) {
            Between b = (Between) e;
            expression(b.getLeftExpression());
            expression(b.getBetweenExpressionStart());
            expression(b.getBetweenExpressionEnd());
        } else if (k == InExpression.class) {
            InExpression in = (InExpression) e;
            if (in.getOldOracleJoinSyntax() != 0 || in.isGlobal()) {
                throw Allowlist.unknown("the IN form " + e);
            }
            expression(in.getLeftExpression());
            expression(in.getRightExpression());
        } else if (k == ExistsExpression.class) {
            expression(((ExistsExpression) e).getRightExpression());
        } else if (k == AnyComparisonExpression.class) {
            owner.select(((AnyComparisonExpression) e).getSelect());
        } else if (k == ParenthesedSelect.class) {
            owner.select((Select) e);
        } else if (k == CaseExpression.class) {
            CaseExpression c = (CaseExpression) e;
            expression(c.getSwitchExpression());
            for (WhenClause w : c.getWhenClauses()) {
                expression(w.getWhenExpression());
                expression(w.getThenExpression());
            }
            expression(c.getElseExpression());
        } else if (k == CastExpression.class) {
            CastExpression c = (CastExpression) e;
            if (c.getColumnDefinitions() != null && !c.getColumnDefinitions().isEmpty()) {
                throw Allowlist.unknown("the cast " + e);
            }
            expression(c.getLeftExpression());
        } else if (k == CollateExpression.class) {
            expression(((CollateExpression) e).getLeftExpression());
        } else if (k == IntervalExpression.class) {
            expression(((IntervalExpression) e).getExpression());
        } else if (k == ExtractExpression.class) {
            expression(((ExtractExpression) e).getExpression());
        } else if (k == TrimFunction.class) {
            TrimFunction t = (TrimFunction) e;
            expression(t.getExpression());
            expression(t.getFromExpression());
        } else if (k == ArrayConstructor.class
                && ((ArrayConstructor) e).isArrayKeyword()) {
            // PostgreSQL's ARRAY[...]; a bare [name] is SQLite's bracket-quoted identifier, which the parser misreads
            expressions(((ArrayConstructor) e).getExpressions());
        } else if (k == TimeKeyExpression.class) {
            volatileCall = volatileCall == null ? e.toString() : volatileCall;
        } else if (k == Function.class) {
            function((Function) e);
        } else if (k == AnalyticExpression.class) {
            analytic((AnalyticExpression) e);
        } else {
            throw Allowlist.unknown("the expression " + e + " (" + k.getSimpleName() + ")");
        }
    }

    void column(Column c) {
        if (c.getArrayConstructor() != null || c.getCommentText() != null || c.getOldOracleJoinSyntax() != 0) {
            throw Allowlist.unknown("the column reference " + c);
        }
        if (c.getTable() != null && c.getTable().getName() != null) {
            Table t = c.getTable();
            if (t.getAlias() != null) {
                throw Allowlist.unknown("the column reference " + c);
            }
        }
    }

    static String unknownFunction(String name) {
        return "the function " + name + "() is not one shardkit knows (it cannot tell whether it"
                + " reads other tables or changes the session); run it on a connection pinned to one shard"
                + " (ShardedDataSource.connectionTo)";
    }

    private void function(Function f) {
        if (f.getMultipartName() != null && f.getMultipartName().size() > 1) {
            throw Allowlist.unknown("the schema-qualified function " + f.getName());
        }
        if (!Functions.isKnown(f.getName())) {
            throw new Allowlist.Refusal(unknownFunction(f.getName()));
        }
        Function known = new Function();
        known.setName(f.getName());
        known.setParameters(f.getParameters());
        known.setDistinct(f.isDistinct());
        known.setAllColumns(f.isAllColumns());
        known.setOrderByElements(f.getOrderByElements());
        if (!known.toString().equals(f.toString())) {
            throw Allowlist.unknown("the call " + f);
        }
        if (f.getParameters() != null) {
            for (Expression p : f.getParameters()) {
                if (p.getClass() != AllColumns.class || !p.toString().equals("*")) {
                    expression(p); // COUNT(*): the star is the only argument a call may have that is not an expression
                }
            }
        }
        owner.orderBy(f.getOrderByElements());
        boolean now = false;
        int arguments = f.getParameters() == null ? 0 : f.getParameters().size();
        if (f.getParameters() != null) {
            for (Expression p : f.getParameters()) {
                now |= p instanceof StringValue s && s.getValue().equalsIgnoreCase("now");
            }
        }
        if (connectionStateCall == null && Functions.isConnectionState(f.getName())) {
            connectionStateCall = f.toString();
        }
        if (volatileCall == null && Functions.isVolatile(f.getName(), arguments, now)) {
            volatileCall = f.toString();
        }
    }

    private void analytic(AnalyticExpression a) {
        if (!Functions.isKnown(a.getName())) {
            throw Allowlist.unknown("the window or aggregate function " + a.getName());
        }
        if (a.getKeep() != null || a.isIgnoreNulls() || a.isIgnoreNullsOutside() || a.getFuncOrderBy() != null
                && a.getType() != AnalyticType.WITHIN_GROUP) {
            throw Allowlist.unknown("the call " + a);
        }
        if (a.getExpression() == null || a.getExpression().getClass() != AllColumns.class
                || !a.getExpression().toString().equals("*")) {
            expression(a.getExpression()); // COUNT(*) OVER (...), COUNT(*) FILTER (...): the star is not an expression
        }
        expression(a.getOffset());
        expression(a.getDefaultValue());
        expression(a.getFilterExpression());
        if (a.getPartitionExpressionList() != null) {
            expressions(a.getPartitionExpressionList());
        }
        owner.orderBy(a.getOrderByElements());
        owner.orderBy(a.getFuncOrderBy());
        if (a.getWindowDefinition() != null) {
            window(a.getWindowDefinition(), a.toString());
        }
    }

    void window(WindowDefinition w, String text) {
        if (w == null) {
            return;
        }
        if (w.getPartitionExpressionList() != null) {
            expressions((ExpressionList<?>) w.getPartitionExpressionList()); // a raw type in JSqlParser
        }
        owner.orderBy(w.getOrderByElements());
        if (w.getWindowElement() != null && w.getWindowElement().toString().contains("?")) {
            throw Allowlist.unknown("a ? parameter in the window frame of " + text);
        }
    }
}
