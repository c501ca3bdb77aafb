#!/usr/bin/env bash
# Second of the two commands: the whole suite — formatting, lints, unit and integration tests.
# Database tests run on SQLite, and on PostgreSQL too when SSKIOSK_TEST_POSTGRES_URL is set
# (e.g. postgres://postgres@127.0.0.1:5432/postgres); each test uses a database of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

# ippeveprinter (the print tests' printer) registers over DNS-SD, so avahi must run on the system
# D-Bus. Start both when the machine does not run them already, and stop only those at the end.
started=()
stop_started() { for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop_started EXIT
if ! avahi-daemon --check 2>/dev/null; then
  if ! pgrep -f 'dbus-daemon --system' >/dev/null; then
    mkdir -p /run/dbus && rm -f /run/dbus/system_bus_socket /run/dbus/pid
    started+=("$(dbus-daemon --system --fork --print-pid)")
  fi
  avahi-daemon --daemonize --no-drop-root --no-chroot
  started+=("$(cat /run/avahi-daemon/pid)")
fi

cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo test --no-fail-fast
