-- params: 1, 5
SELECT name FROM players WHERE player_id = ? AND score > (SELECT AVG(score) FROM players WHERE player_id = ?)
