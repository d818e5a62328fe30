SELECT level, COUNT(*) AS n, AVG(score) FROM players GROUP BY level HAVING COUNT(*) > 10 ORDER BY n DESC, level LIMIT 5
