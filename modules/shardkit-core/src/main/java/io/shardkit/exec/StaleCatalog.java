package io.shardkit.exec;

import io.shardkit.SqlStates;
import io.shardkit.config.TableRule;
import io.shardkit.route.Router;
import io.shardkit.sql.SqlAnalysis;
import java.sql.SQLException;

/**
 * A statement on split tables that failed because a physical table is gone (the archiver moved
 * its period, or another data source dropped it) while this data source's catalog still listed
 * it: the catalog of the statement's split tables is forgotten, so the next statement (or the
 * executor's one retry of an autocommit read) routes by what the shards hold now.
 */
final class StaleCatalog {
    private StaleCatalog() {
    }

    /** Whether {@code e} says a table does not exist and the statement names split tables, whose catalog is then forgotten. */
    static boolean forgotten(Router router, SqlAnalysis a, SQLException e) {
        if (!router.hasSplitTables() || !missingTable(e)) {
            return false;
        }
        boolean any = false;
        for (String table : a.tables()) {
            TableRule rule = router.map().tables().get(table);
            if (rule != null && rule.isSplit()) {
                router.splitCatalog().forget(table);
                any = true;
            }
        }
        return any;
    }

    /** PostgreSQL 42P01, MySQL/MariaDB 42S02, SQLite "no such table", in the error or its causes. */
    private static boolean missingTable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException x && (SqlStates.UNDEFINED_TABLE.equals(x.getSQLState())
                    || SqlStates.BASE_TABLE_NOT_FOUND.equals(x.getSQLState()))) {
                return true;
            }
            if (t.getMessage() != null && t.getMessage().contains("no such table")) {
                return true;
            }
        }
        return false;
    }
}
