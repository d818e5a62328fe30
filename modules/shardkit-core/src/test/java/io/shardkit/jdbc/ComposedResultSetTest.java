package io.shardkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pins the generated part of {@link ComposedResultSet}: nothing about position or updates reaches a shard. */
class ComposedResultSetTest {
    private static final Set<String> STREAM = Set.of("next", "getRow", "isFirst", "isLast", "isBeforeFirst",
            "isAfterLast", "absolute", "relative", "previous", "first", "last", "beforeFirst", "afterLast",
            "moveToInsertRow", "moveToCurrentRow", "insertRow", "updateRow", "deleteRow", "refreshRow",
            "cancelRowUpdates", "rowUpdated", "rowInserted", "rowDeleted", "getHoldability", "getCursorName",
            "getType", "getConcurrency", "getFetchDirection", "setFetchDirection");

    @Test
    void case17_everyPositionAndUpdateMethodIsTheMergedStreamsOwn() throws Exception {
        List<String> notFinal = new ArrayList<>();
        for (Method m : ResultSet.class.getMethods()) {
            if (!m.getName().startsWith("update") && !STREAM.contains(m.getName()) || m.isDefault()) {
                continue;
            }
            Method own = ComposedResultSet.class.getMethod(m.getName(), m.getParameterTypes());
            if (own.getDeclaringClass() != ComposedResultSet.class || !Modifier.isFinal(own.getModifiers())) {
                notFinal.add(m.getName() + java.util.Arrays.toString(m.getParameterTypes()));
            }
        }
        assertThat(notFinal).isEmpty();
    }
}
