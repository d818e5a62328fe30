SELECT AVG(score), MAX(score) - MIN(score) AS spread, SUM(score) / COUNT(*) FROM players
