-- the tables every tenant has (run in the tenant's schema: names stay unqualified)
CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(40));

CREATE TABLE orders (id BIGINT PRIMARY KEY, user_id BIGINT, total INT);
