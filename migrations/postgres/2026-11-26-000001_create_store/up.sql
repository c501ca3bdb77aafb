-- The unified store: one table per subsystem export, keyed by the export's natural key, each row
-- pointing at the import batch that last wrote it (which gives its source and import time).
-- No foreign keys: the importer, the only writer, checks inside its transaction that every row's
-- person exists; PostgreSQL's per-row foreign-key triggers doubled the time of a large import.
-- Same tables as migrations/sqlite; the record query reads one person's rows through the primary
-- key index, whose first column is the ID number.

CREATE TABLE import_batches (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    rows_total BIGINT NOT NULL,
    rows_taken BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    imported_at TIMESTAMP NOT NULL
);
CREATE INDEX import_batches_by_file ON import_batches (kind, sha256);
CREATE INDEX import_batches_by_source ON import_batches (source, imported_at);

CREATE TABLE persons (
    ssn TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    gender TEXT NOT NULL,
    ethnicity TEXT NOT NULL,
    birth_date DATE NOT NULL,
    region_code TEXT NOT NULL,
    phone TEXT,
    address TEXT,
    batch_id BIGINT NOT NULL
);
CREATE INDEX persons_by_name ON persons (name, birth_date);

CREATE TABLE cards (
    card_no TEXT PRIMARY KEY NOT NULL,
    ssn TEXT NOT NULL,
    card_id_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    spec_version TEXT NOT NULL,
    issued_on DATE NOT NULL,
    expires_on DATE NOT NULL,
    status TEXT NOT NULL,
    batch_id BIGINT NOT NULL
);
CREATE INDEX cards_by_ssn ON cards (ssn);

CREATE TABLE enrolments (
    ssn TEXT NOT NULL,
    insurance TEXT NOT NULL,
    employer_code TEXT NOT NULL,
    started_on DATE NOT NULL,
    employer_name TEXT NOT NULL,
    region_code TEXT NOT NULL,
    ended_on DATE,
    status TEXT NOT NULL,
    batch_id BIGINT NOT NULL,
    PRIMARY KEY (ssn, insurance, employer_code, started_on)
);

CREATE TABLE contributions (
    ssn TEXT NOT NULL,
    insurance TEXT NOT NULL,
    period INTEGER NOT NULL,
    base BIGINT NOT NULL,
    employer_amount BIGINT NOT NULL,
    personal_amount BIGINT NOT NULL,
    paid_on DATE,
    employer_code TEXT NOT NULL,
    status TEXT NOT NULL,
    batch_id BIGINT NOT NULL,
    PRIMARY KEY (ssn, insurance, period)
);

CREATE TABLE benefits (
    ssn TEXT NOT NULL,
    benefit TEXT NOT NULL,
    period INTEGER NOT NULL,
    amount BIGINT NOT NULL,
    paid_on DATE,
    batch_id BIGINT NOT NULL,
    PRIMARY KEY (ssn, benefit, period)
);

CREATE TABLE employment_registrations (
    ssn TEXT NOT NULL,
    kind TEXT NOT NULL,
    employer_code TEXT NOT NULL,
    registered_on DATE NOT NULL,
    employer_name TEXT NOT NULL,
    ended_on DATE,
    batch_id BIGINT NOT NULL,
    PRIMARY KEY (ssn, kind, employer_code, registered_on)
);
