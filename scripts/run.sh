#!/usr/bin/env bash
# First of the two commands: install what is missing, build, and serve http://127.0.0.1:8080.
# On first start the store (data/sskiosk.db) is created and filled with demo citizens.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --release
exec ./target/release/sskiosk serve "$@"
