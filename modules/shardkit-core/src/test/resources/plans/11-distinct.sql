SELECT DISTINCT region FROM players ORDER BY region
