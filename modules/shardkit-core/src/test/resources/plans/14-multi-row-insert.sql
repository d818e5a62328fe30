INSERT INTO players (player_id, name) VALUES (?, 'a'), (?, 'b'), (?, 'c')
-- params: 1, 2, 5
