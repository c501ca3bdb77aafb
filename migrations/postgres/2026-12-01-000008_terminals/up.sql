-- Enrolled terminals (issue 10): kiosk and window PCs that reach the center over mutual TLS with
-- a device certificate signed by the center's own CA. The center keeps only hashes of enrolment
-- codes and the fingerprints of the certificates it issued; a revoked terminal gets nothing.
CREATE TABLE terminal_enrolments (
    -- SHA-256 (hex) of the code's secret part: the code itself is never stored.
    code_hash TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    -- kiosk | window
    kind TEXT NOT NULL,
    -- The window's name or number shown to citizens and in the audit ("3号窗口"); empty for kiosks.
    window_label TEXT NOT NULL DEFAULT '',
    -- Where the terminal's prints go; NULL = the center's print.printer_uri.
    printer TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);

CREATE TABLE terminals (
    name TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    window_label TEXT NOT NULL DEFAULT '',
    printer TEXT,
    enrolled_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    revoked_by TEXT
);

CREATE TABLE terminal_certificates (
    -- SHA-256 (hex) of the certificate's DER: what the TLS layer hands each request.
    fingerprint TEXT PRIMARY KEY NOT NULL,
    terminal TEXT NOT NULL,
    serial TEXT NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    not_after TIMESTAMP NOT NULL
);
CREATE INDEX terminal_certificates_by_terminal ON terminal_certificates (terminal);

-- A kiosk's print job is cancelled when it has not printed by this time (issue 11): it must
-- never come out of a public tray after its citizen has gone. NULL = no deadline.
ALTER TABLE print_jobs ADD COLUMN expires_at TIMESTAMP;
