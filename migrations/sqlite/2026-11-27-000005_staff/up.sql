-- Window staff (issue 6, see docs/staff.md): accounts, database-held sessions (so they survive a
-- restart and are shared by every node on one PostgreSQL), login failures for the per-address
-- rate limit, annual pension eligibility certifications, and the idempotency keys of window
-- actions.
CREATE TABLE staff (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    window_no TEXT,
    role TEXT NOT NULL,
    -- argon2id PHC string; never a plain password.
    password_hash TEXT NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT 0,
    -- Consecutive failed logins; reset by a success or an unlock.
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    password_changed_at TIMESTAMP NOT NULL
);

-- Only the SHA-256 of the session token is stored: a copy of this table opens no session.
CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX staff_sessions_by_staff ON staff_sessions (staff_id);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    address TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_by_address ON login_failures (address, at);

-- 领取待遇资格认证: one certification per citizen and year.
CREATE TABLE eligibility_certifications (
    ssn TEXT NOT NULL,
    year INTEGER NOT NULL,
    method TEXT NOT NULL,
    staff_username TEXT NOT NULL,
    certified_at TIMESTAMP NOT NULL,
    PRIMARY KEY (ssn, year)
);

-- A window action's client-chosen key and its answer: the same key again (a double click, a
-- retried request) gets the stored answer instead of acting twice.
CREATE TABLE window_requests (
    idempotency_key TEXT PRIMARY KEY NOT NULL,
    staff_id BIGINT NOT NULL,
    action TEXT NOT NULL,
    response TEXT,
    created_at TIMESTAMP NOT NULL
);
