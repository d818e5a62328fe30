UPDATE players SET score = 0 WHERE level > 10
