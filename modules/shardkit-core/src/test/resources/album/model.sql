-- the tables every album database has
CREATE TABLE pic (id INTEGER PRIMARY KEY, file TEXT NOT NULL);
CREATE TABLE tag (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE pic_tag (pic_id INTEGER REFERENCES pic(id), tag_id INTEGER REFERENCES tag(id), PRIMARY KEY (pic_id, tag_id));
