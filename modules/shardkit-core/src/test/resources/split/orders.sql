-- the orders table, written for the logical table; shardkit makes each month's table from it
CREATE TABLE orders (
    order_id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    note TEXT DEFAULT 'a;b' -- a ';' in a string and in a comment; does not end the statement
);
/* an index per physical table: orders_by_day_<physical> */
CREATE INDEX orders_by_day ON orders (created_at);
