#!/usr/bin/env bash
# Second of the two commands: the whole suite — formatting, lints, unit and integration tests.
# Database tests run on SQLite, and on PostgreSQL too when SSKIOSK_TEST_POSTGRES_URL is set
# (e.g. postgres://postgres@127.0.0.1:5432/postgres); each test uses a database of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo test
