SELECT level FROM players GROUP BY level ORDER BY MAX(score) DESC, level
