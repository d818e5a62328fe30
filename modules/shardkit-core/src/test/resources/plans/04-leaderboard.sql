SELECT player_id, name, score FROM players ORDER BY score DESC, player_id LIMIT 10
