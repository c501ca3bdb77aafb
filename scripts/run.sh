#!/usr/bin/env bash
# First of the two commands: install what is missing, build, and serve http://127.0.0.1:8080.
# On first start the store (data/sskiosk.db) is created (`sskiosk migrate`) and filled with demo
# citizens (`serve`, on an empty store).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --release
# The kiosk screen (/kiosk/) watches card readers through pcscd; start it (with the virtual
# reader of vsmartcard-vpcd) when nothing runs it, so `sskiosk virtual-card insert` works at once.
if ! pgrep -x pcscd >/dev/null && [ "$(id -u)" = 0 ] && command -v pcscd >/dev/null; then
  pcscd && echo "started pcscd for the kiosk's card reader"
fi
# `serve` does not change the schema (a node's database account needs no DDL rights): create or
# update it first, as an operator does on every upgrade.
./target/release/sskiosk migrate "$@"
exec ./target/release/sskiosk serve "$@"
