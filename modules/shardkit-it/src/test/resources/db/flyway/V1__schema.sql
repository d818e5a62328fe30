CREATE TABLE fw_players (player_id BIGINT PRIMARY KEY, name VARCHAR(40), score INT);
CREATE TABLE fw_matches (${identity}, player_id BIGINT NOT NULL, points INT);
CREATE TABLE fw_items (item_id INT PRIMARY KEY, label VARCHAR(40));
