SELECT p.name, SUM(m.points) FROM players p JOIN matches m ON p.player_id = m.player_id GROUP BY p.name ORDER BY 2 DESC LIMIT 3
