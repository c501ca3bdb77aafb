ALTER TABLE certificates DROP COLUMN kind;
