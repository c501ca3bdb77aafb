-- Payment certificates (issue 4). A certificate's content is frozen at issue time (canonical
-- JSON) and never updated; revocation and reissue only set the columns that say so.

CREATE TABLE certificate_keys (
    key_id TEXT PRIMARY KEY NOT NULL,
    public_key TEXT NOT NULL,
    first_used_at TIMESTAMP NOT NULL
);

CREATE TABLE certificates (
    serial TEXT PRIMARY KEY NOT NULL,
    ssn TEXT NOT NULL,
    key_id TEXT NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    content TEXT NOT NULL,
    digest TEXT NOT NULL,
    signature TEXT NOT NULL,
    revoked_at TIMESTAMP,
    revoke_reason TEXT,
    supersedes TEXT,
    superseded_by TEXT
);
CREATE INDEX certificates_by_ssn ON certificates (ssn, issued_at);

-- Who verified is deliberately not recorded: only when, what, and the answer.
CREATE TABLE certificate_verifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    serial TEXT NOT NULL,
    verified_at TIMESTAMP NOT NULL,
    result TEXT NOT NULL
);
CREATE INDEX certificate_verifications_by_serial ON certificate_verifications (serial);

CREATE TABLE print_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    serial TEXT NOT NULL,
    ssn TEXT NOT NULL,
    printer TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    last_error TEXT,
    pdf BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    printer_job_id INTEGER
);
CREATE INDEX print_jobs_due ON print_jobs (state, next_attempt_at);
CREATE INDEX print_jobs_by_ssn ON print_jobs (ssn, created_at);
