-- Least-privilege PostgreSQL roles for sskiosk (issue 13; docs/operations.md). Run as a superuser
-- in the store's database, after the owner's `sskiosk migrate` created the schema:
--   psql -d sskiosk -v ON_ERROR_STOP=1 -f deploy/postgres-roles.sql
-- then give each role a password (ALTER ROLE … PASSWORD …) or a certificate in pg_hba.conf.
-- Only the owner changes the schema; no node's account can.
-- Re-run after every `sskiosk migrate` that adds a table (GRANT … ON ALL TABLES covers the
-- tables that exist when it runs).

-- sskiosk_owner: owns the schema; only `sskiosk migrate` and the operator's commands use it.
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sskiosk_owner') THEN CREATE ROLE sskiosk_owner LOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sskiosk_center') THEN CREATE ROLE sskiosk_center LOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sskiosk_replica') THEN CREATE ROLE sskiosk_replica LOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sskiosk_reporting') THEN CREATE ROLE sskiosk_reporting LOGIN; END IF;
END $$;

-- Nobody but the owner creates objects (PostgreSQL < 15 lets every role create in public).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO sskiosk_center, sskiosk_replica, sskiosk_reporting;

-- sskiosk_center: the account of `sskiosk serve` (window and kiosk nodes, the central service).
-- Rows only, no DDL. The audit log and the verification log are append-only for it: INSERT and
-- SELECT, never UPDATE or DELETE (the chain's head row is updated, the entries are not). The
-- migrations table it may only read (serve checks the schema is current).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO sskiosk_center;
REVOKE UPDATE, DELETE ON audit_log, certificate_verifications FROM sskiosk_center;
REVOKE INSERT, UPDATE, DELETE ON __diesel_schema_migrations FROM sskiosk_center;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO sskiosk_center;

-- sskiosk_replica: a read replica's account (read-only `sskiosk record`, audit verification,
-- analysis): everything readable, nothing writable.
GRANT SELECT ON ALL TABLES IN SCHEMA public TO sskiosk_replica;

-- sskiosk_reporting: statistics over the record, without staff accounts, sessions, login
-- failures or the audit log.
GRANT SELECT ON ALL TABLES IN SCHEMA public TO sskiosk_reporting;
REVOKE SELECT ON staff, staff_sessions, login_failures, audit_log, audit_head FROM sskiosk_reporting;
