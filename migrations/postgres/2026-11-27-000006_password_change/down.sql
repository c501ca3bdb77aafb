ALTER TABLE staff DROP COLUMN must_change_password;
