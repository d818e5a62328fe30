SELECT name FROM players WHERE player_id IN (1, 2, 5)
