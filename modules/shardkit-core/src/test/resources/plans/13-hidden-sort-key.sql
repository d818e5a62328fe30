SELECT name FROM players ORDER BY score DESC, player_id LIMIT 3
