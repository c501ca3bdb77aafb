DROP TABLE employment_registrations;
DROP TABLE benefits;
DROP TABLE contributions;
DROP TABLE enrolments;
DROP TABLE cards;
DROP TABLE persons;
DROP TABLE import_batches;
