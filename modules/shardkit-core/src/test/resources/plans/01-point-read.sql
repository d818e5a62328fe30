SELECT name, score FROM players WHERE player_id = ?
-- params: 1042
