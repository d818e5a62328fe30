package io.shardkit.exec;

import java.sql.Connection;
import java.sql.SQLException;

/** Work applied to a physical connection. */
public interface PhysicalAction {
    void apply(Connection c) throws SQLException;
}
