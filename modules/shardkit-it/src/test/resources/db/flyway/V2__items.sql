INSERT INTO fw_items (item_id, label) VALUES (1, 'sword');
INSERT INTO fw_items (item_id, label) VALUES (2, 'shield');
