SELECT player_id FROM players ORDER BY player_id LIMIT ? OFFSET ?
-- params: 10, 20
