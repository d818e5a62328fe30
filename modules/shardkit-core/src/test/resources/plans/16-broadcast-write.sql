INSERT INTO items (item_id, name) VALUES (1, 'sword')
