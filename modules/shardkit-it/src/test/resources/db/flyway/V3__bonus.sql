ALTER TABLE fw_players ADD COLUMN bonus INT;
