-- SQLite (3.35+) drops a column that no index or constraint uses.
ALTER TABLE staff DROP COLUMN must_change_password;
