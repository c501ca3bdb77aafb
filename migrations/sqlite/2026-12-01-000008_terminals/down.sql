DROP TABLE terminal_certificates;
DROP TABLE terminals;
DROP TABLE terminal_enrolments;
