SELECT level, COUNT(DISTINCT region) FROM players GROUP BY level
