SELECT player_id, name FROM players WHERE score > 100
