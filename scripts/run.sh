#!/usr/bin/env bash
# First of the two commands: install what is missing, build, and start the demo hall on this
# machine — the center (`sskiosk serve`: store, staff pages, certificates, the terminals' TLS
# port) and one kiosk terminal enrolled there (`sskiosk terminal`, the kiosk page).
#   staff pages and verification   http://127.0.0.1:8080/staff/
#   the kiosk screen               http://127.0.0.1:8081/kiosk/
# On first start the store (data/sskiosk.db) is created (`sskiosk migrate`) and filled with demo
# citizens (`serve`, on an empty store), the
# center makes its terminal CA (data/center/), and the kiosk enrols with a one-time code
# (data/terminal/). Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --release
BIN=./target/release/sskiosk
# The kiosk watches card readers through pcscd; start it (with the virtual reader of
# vsmartcard-vpcd) when nothing runs it, so `sskiosk virtual-card insert` works at once.
if ! pgrep -x pcscd >/dev/null && [ "$(id -u)" = 0 ] && command -v pcscd >/dev/null; then
  pcscd && echo "started pcscd for the kiosk's card reader"
fi

mkdir -p data
# `serve` does not change the schema (a node's database account needs no DDL rights): create or
# update it first, as an operator does on every upgrade.
"$BIN" migrate "$@"
# The demo has no seal image (电子印章): it states its certificates are valid without a stamp so
# that the kiosk prints; a production center configures certificate.seal_image instead.
SSKIOSK__CERTIFICATE__VALID_WITHOUT_SEAL="${SSKIOSK__CERTIFICATE__VALID_WITHOUT_SEAL:-true}" \
  "$BIN" serve "$@" > data/center.log 2>&1 &
center=$!
trap 'kill "$center" 2>/dev/null || true' EXIT
# Wait for the center to listen (its first start loads the demo citizens), not for a time.
for _ in $(seq 1 600); do
  grep -q "sskiosk listening on" data/center.log && break
  kill -0 "$center" 2>/dev/null || { cat data/center.log >&2; exit 1; }
  sleep 0.1
done
grep "sskiosk" data/center.log | grep -v INFO || true

# Enrol the demo kiosk once (again if the store was made anew): a one-time code from the
# center's command line, then the terminal makes its key and gets its certificate over TLS.
if ! "$BIN" device list 2>/dev/null | grep -q "^kiosk-demo	.*	active$" ||
   [ ! -f data/terminal/terminal.json ]; then
  code="$("$BIN" device enrol-code --name kiosk-demo --kind kiosk 2>/dev/null)"
  "$BIN" terminal enrol --center https://127.0.0.1:8443 --code "$code"
fi
echo "staff pages: http://127.0.0.1:8080/staff/   kiosk screen: http://127.0.0.1:8081/kiosk/"
"$BIN" terminal
