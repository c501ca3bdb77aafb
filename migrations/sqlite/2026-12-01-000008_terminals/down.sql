ALTER TABLE print_jobs DROP COLUMN expires_at;
DROP TABLE terminal_certificates;
DROP TABLE terminals;
DROP TABLE terminal_enrolments;
